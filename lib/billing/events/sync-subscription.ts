// Shared by the per-event handlers in this folder: applies a Stripe subscription to Parley's
// Subscription row, order-safely.
//
// Order safety, two layers:
//  1. Convergent sync: when the SDK is configured (STRIPE_SECRET_KEY), the subscription is
//     re-fetched from Stripe and its CURRENT state is stored, whatever the event carried;
//     so deliveries in any order converge on Stripe's state.
//  2. Created-timestamp guard: an event older than Subscription.lastEventCreated is skipped
//     (this alone protects the payload-only mode, i.e. without a secret key).
import type Stripe from "stripe";
import type { SubscriptionStatus } from "@/generated/sqlite/client";
import { prisma, sqlOf } from "@/core/db";
import { recordAuditSql } from "@/lib/audit/record-audit";
import { stripeClient } from "@/lib/billing/stripe-client";
import { applySubscriptionChange, planFollowsPrice } from "@/lib/billing/apply-subscription";
import { lifecycleSyncNeeded } from "@/lib/billing/planned-state";
import {
  updateSubscription,
  writeSubscription,
  type SubscriptionValues,
  type Written,
} from "./write-subscription";
import { logInfo } from "@/core/log";

const STATUS: Record<string, SubscriptionStatus> = {
  trialing: "TRIALING",
  active: "ACTIVE",
  incomplete: "INCOMPLETE",
  incomplete_expired: "INCOMPLETE_EXPIRED",
  past_due: "PAST_DUE",
  unpaid: "UNPAID",
  canceled: "CANCELED",
  paused: "PAUSED",
};

export function mapSubscriptionStatus(status: Stripe.Subscription.Status): SubscriptionStatus {
  const mapped = STATUS[status];
  // A status this SDK does not know: fail (500) so Stripe retries after an upgrade, rather
  // than storing a guess.
  if (!mapped) throw new Error(`Unknown Stripe subscription status "${status}"`);
  return mapped;
}

export function idOf(ref: string | { id: string } | null | undefined): string | null {
  if (!ref) return null;
  return typeof ref === "string" ? ref : ref.id;
}

export type SyncOutcome = "applied" | "stale" | "unknown-customer";

// Finds the Parley customer: an explicit id (checkout's client_reference_id, or the
// subscription's metadata.parleyCustomerId) that exists, else the linked stripeCustomerId.
async function resolveCustomer(
  parleyCustomerId: string | null,
  stripeCustomerId: string | null,
): Promise<{ id: string; linked: boolean } | null> {
  if (parleyCustomerId) {
    const found = await prisma.customer.findUnique({
      where: { id: parleyCustomerId },
      select: { id: true, stripeCustomerId: true },
    });
    if (found) return { id: found.id, linked: found.stripeCustomerId !== null };
  }
  if (stripeCustomerId) {
    const found = await prisma.customer.findUnique({
      where: { stripeCustomerId },
      select: { id: true },
    });
    if (found) return { id: found.id, linked: true };
  }
  return null;
}

// Links a Parley customer to its Stripe customer id when not linked yet. Never re-links a
// customer that already has a different id, and never steals an id another customer holds.
export async function linkStripeCustomer(
  customerId: string,
  stripeCustomerId: string,
): Promise<boolean> {
  const result = await prisma.customer
    .updateMany({
      where: { id: customerId, stripeCustomerId: null },
      data: { stripeCustomerId },
    })
    .catch((error: unknown) => {
      if ((error as { code?: string }).code === "P2002") {
        logInfo(
          "billing",
          `Stripe customer ${stripeCustomerId} is already linked to another Parley customer; not linking ${customerId}`,
        );
        return { count: 0 };
      }
      throw error;
    });
  return result.count > 0;
}

export type SyncInput = {
  event: Pick<Stripe.Event, "id" | "type" | "created">;
  // The subscription as the event carried it, or only its id (checkout, invoices).
  subscription: Stripe.Subscription | string;
  // A Parley customer id from the checkout session, if any.
  parleyCustomerId?: string | null;
};

export async function syncSubscription(input: SyncInput): Promise<SyncOutcome> {
  const { event } = input;
  const stripe = stripeClient();
  let sub: Stripe.Subscription | null;
  if (stripe) {
    const id = typeof input.subscription === "string" ? input.subscription : input.subscription.id;
    sub = await stripe.subscriptions.retrieve(id);
  } else {
    // Payload-only mode: without the SDK an id alone tells us nothing about the state.
    sub = typeof input.subscription === "string" ? null : input.subscription;
  }
  if (!sub) return "stale";

  const item = sub.items?.data?.[0];
  const values: SubscriptionValues = {
    stripeSubscriptionId: sub.id,
    stripePriceId: item?.price?.id ?? null,
    status: mapSubscriptionStatus(sub.status),
    // The pinned API version keeps billing periods on the subscription items.
    currentPeriodEnd: item?.current_period_end ? new Date(item.current_period_end * 1000) : null,
    cancelAtPeriodEnd: sub.cancel_at_period_end,
    canceledAt: sub.canceled_at ? new Date(sub.canceled_at * 1000) : null,
  };
  const stripeCustomerId = idOf(sub.customer);
  const parleyCustomerId = input.parleyCustomerId ?? sub.metadata?.parleyCustomerId ?? null;

  // The common case first, in one statement: a known customer whose row this event updates.
  // Otherwise the customer is resolved on its own, then its row updated, created or found newer.
  let written: Written | "created" | "stale" | null = await updateSubscription(
    { parleyCustomerId, stripeCustomerId },
    event.created,
    values,
  );
  let customerId: string;
  if (written) {
    customerId = written.customerId;
    if (stripeCustomerId && !written.customerStripeId)
      await linkStripeCustomer(customerId, stripeCustomerId);
  } else {
    const customer = await resolveCustomer(parleyCustomerId, stripeCustomerId);
    if (!customer) {
      // Not ours (yet): checkout.session.completed links the customer and syncs again.
      logInfo(
        "billing",
        `${event.type} ${event.id}: subscription ${sub.id} belongs to no known customer; skipped`,
      );
      return "unknown-customer";
    }
    customerId = customer.id;
    if (stripeCustomerId && !customer.linked)
      await linkStripeCustomer(customerId, stripeCustomerId);
    written = await writeSubscription(customerId, event.created, values);
  }
  if (written === "stale") return "stale";

  // No transaction: the guarded write is atomic on its own, and if the audit insert after it
  // fails the event is un-recorded and Stripe's retry writes the same state again (and, as no
  // sync has cleared lifecycleDue, still runs the lifecycle).
  await recordAuditSql(sqlOf(prisma), {
    actor: null,
    action: "billing.subscription.synced",
    targetType: "subscription",
    targetId: sub.id,
    customerId,
    details: {
      eventId: event.id,
      eventType: event.type,
      status: values.status,
      source: stripe ? "stripe-api" : "event-payload",
    },
  });
  // A new row is always due; an updated one only when the plan or the lifecycle would change.
  if (written === "created") await applySubscriptionChange(customerId);
  else if (planFollowsPrice(written) || lifecycleSyncNeeded(written))
    await applySubscriptionChange(customerId, written);
  return "applied";
}
