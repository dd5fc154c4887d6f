import type Stripe from "stripe";
import { getConfig } from "@/core/config";

type Options = {
  customerId: string;
  priceId: string;
  // Who Stripe bills: an existing Stripe customer, or a new one with this email.
  payer: { stripeCustomerId: string } | { email: string } | null;
  successPath: string;
  cancelPath: string;
  idempotencyKey: string;
};

// A Checkout session for one plan's price, tagged with Parley's customer id (the only thing
// the webhook needs to link the subscription back).
export async function createSubscriptionCheckout(
  stripe: Stripe,
  options: Options,
): Promise<string> {
  const base = getConfig().publicUrl;
  const payer =
    options.payer === null
      ? {}
      : "stripeCustomerId" in options.payer
        ? { customer: options.payer.stripeCustomerId }
        : { customer_email: options.payer.email };
  const session = await stripe.checkout.sessions.create(
    {
      mode: "subscription",
      line_items: [{ price: options.priceId, quantity: 1 }],
      client_reference_id: options.customerId,
      metadata: { parleyCustomerId: options.customerId },
      subscription_data: { metadata: { parleyCustomerId: options.customerId } },
      ...payer,
      success_url: `${base}${options.successPath}`,
      cancel_url: `${base}${options.cancelPath}`,
    },
    { idempotencyKey: options.idempotencyKey },
  );
  if (!session.url) throw new Error("Stripe did not return a checkout link");
  return session.url;
}
