import type Stripe from "stripe";

// Under the pinned API version an invoice names its subscription in parent.subscription_details.
export function invoiceSubscriptionId(invoice: Stripe.Invoice): string | null {
  const ref = invoice.parent?.subscription_details?.subscription;
  if (!ref) return null;
  return typeof ref === "string" ? ref : ref.id;
}
