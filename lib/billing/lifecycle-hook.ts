// No "server-only": the webhook handler and the worker call this.
//
// EXTENSION POINT, deliberately empty. The Stripe webhook (lib/billing/webhook.ts) keeps the
// Subscription row and Customer.stripeCustomerId correct, then calls this hook once per change
// that it actually applied (never for replays or stale events). The customer lifecycle
// (PAST_DUE → SUSPENDED → TERMINATED of customers and their XMPP accounts) is owned by another
// engineer and is NOT implemented here: replace the body of this function with that logic.
// The signature may become async (callers already `await` it); an error thrown here makes the
// webhook answer 500 and un-record the event, so Stripe retries the delivery.
export function afterSubscriptionChange(customerId: string): void | Promise<void> {
  void customerId;
}
