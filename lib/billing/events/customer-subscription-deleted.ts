import type Stripe from "stripe";
import { syncSubscription } from "./sync-subscription";

// customer.subscription.deleted: the subscription ended (status canceled). The row is kept,
// with status CANCELED and canceledAt, for the lifecycle to act on.
export async function handleCustomerSubscriptionDeleted(
  event: Stripe.CustomerSubscriptionDeletedEvent,
): Promise<string> {
  return syncSubscription({ event, subscription: event.data.object });
}
