import type Stripe from "stripe";
import { syncSubscription } from "./sync-subscription";

// customer.subscription.updated: status, period, price or cancellation changed.
export async function handleCustomerSubscriptionUpdated(
  event: Stripe.CustomerSubscriptionUpdatedEvent,
): Promise<string> {
  return syncSubscription({ event, subscription: event.data.object });
}
