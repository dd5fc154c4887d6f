// No "server-only": the webhook handler and the worker call this.
//
// Called by the Stripe webhook (lib/billing/webhook.ts) once per subscription change it
// actually applied (never for replays or stale events). The plan follows the subscribed price
// and the customer's accounts follow the subscription's state on the XMPP servers
// (lib/billing/lifecycle.ts). An error thrown here makes the webhook answer 500 and un-record
// the event, so Stripe retries the delivery.
import { applySubscriptionChange } from "@/lib/billing/apply-subscription";

export async function afterSubscriptionChange(customerId: string): Promise<void> {
  await applySubscriptionChange(customerId);
}
