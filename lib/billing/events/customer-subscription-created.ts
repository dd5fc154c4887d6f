import type Stripe from "stripe";
import { syncSubscription } from "./sync-subscription";

// customer.subscription.created: store the new subscription (re-fetched when the SDK is configured).
export async function handleCustomerSubscriptionCreated(
  event: Stripe.CustomerSubscriptionCreatedEvent,
): Promise<string> {
  return syncSubscription({ event, subscription: event.data.object });
}
