import type Stripe from "stripe";
import { stripeClient } from "@/lib/billing/stripe-client";
import { invoiceSubscriptionId } from "./invoice-subscription";
import { syncSubscription } from "./sync-subscription";

// invoice.payment_failed: the subscription may now be past_due or unpaid. As with invoice.paid,
// the current state is re-fetched; without the SDK, customer.subscription.updated carries it.
export async function handleInvoicePaymentFailed(
  event: Stripe.InvoicePaymentFailedEvent,
): Promise<string> {
  const subscriptionId = invoiceSubscriptionId(event.data.object);
  if (!subscriptionId) return "no subscription";
  if (!stripeClient()) return "noted (no Stripe API key to re-fetch the subscription)";
  return syncSubscription({ event, subscription: subscriptionId });
}
