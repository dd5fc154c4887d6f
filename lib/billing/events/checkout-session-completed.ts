import type Stripe from "stripe";
import { stripeClient } from "@/lib/billing/stripe-client";
import { idOf, linkStripeCustomer, syncSubscription } from "./sync-subscription";

// checkout.session.completed: links the Stripe customer to the Parley customer named by
// client_reference_id (or metadata.parleyCustomerId), then syncs the subscription the session
// created. Nothing from customer_details (name, email, address) is read or stored.
export async function handleCheckoutSessionCompleted(
  event: Stripe.CheckoutSessionCompletedEvent,
): Promise<string> {
  const session = event.data.object;
  const parleyCustomerId =
    session.client_reference_id ?? session.metadata?.parleyCustomerId ?? null;
  const stripeCustomerId = idOf(session.customer);
  if (!parleyCustomerId) return "no Parley customer reference";
  const linked = stripeCustomerId
    ? await linkStripeCustomer(parleyCustomerId, stripeCustomerId)
    : false;
  const subscriptionId = idOf(session.subscription);
  if (!subscriptionId || !stripeClient()) return linked ? "customer linked" : "nothing to link";
  const outcome = await syncSubscription({ event, subscription: subscriptionId, parleyCustomerId });
  return `${linked ? "customer linked, " : ""}subscription ${outcome}`;
}
