import type Stripe from "stripe";
import { stripeClient } from "@/lib/billing/stripe-client";
import { invoiceSubscriptionId } from "./invoice-subscription";
import { syncSubscription } from "./sync-subscription";

// invoice.paid: a payment may end past_due. The invoice does not carry the subscription's
// status, so the subscription is re-fetched from Stripe; without the SDK (payload-only mode)
// the customer.subscription.updated event that Stripe sends as well carries the change.
export async function handleInvoicePaid(event: Stripe.InvoicePaidEvent): Promise<string> {
  const subscriptionId = invoiceSubscriptionId(event.data.object);
  if (!subscriptionId) return "no subscription";
  if (!stripeClient()) return "noted (no Stripe API key to re-fetch the subscription)";
  return syncSubscription({ event, subscription: subscriptionId });
}
