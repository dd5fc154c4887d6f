// The order-safe write of a Stripe subscription onto its customer's Subscription row. An existing
// row is written by one guarded statement (SQL shared by SQLite and PostgreSQL): Prisma's
// updateMany cannot say "the row as it was", and both the new pastDueSince (kept from the first
// failure) and lifecycleDue (set exactly when something the lifecycle reads changes) depend on
// it. The statement also finds the customer and returns what decides whether the plan or the
// lifecycle must follow, so a webhook that changes neither reads nothing else.
import type { CustomerStatus, SubscriptionStatus } from "@/generated/sqlite/enums";
import { prisma, sqlOf } from "@/core/db";
import { date } from "@/core/sql";
import { now } from "@/core/clock";
import { lifecycleFields, type LifecycleSeen } from "@/lib/billing/planned-state";
import type { PlanIds } from "@/lib/billing/apply-subscription";

export type SubscriptionValues = {
  stripeSubscriptionId: string;
  stripePriceId: string | null;
  status: SubscriptionStatus;
  currentPeriodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
  canceledAt: Date | null;
};

// Which customer: a known id, or as the webhook names it (an explicit Parley id that exists,
// else the linked Stripe customer id; see resolveCustomer in sync-subscription.ts).
export type CustomerRef =
  { id: string } | { parleyCustomerId: string | null; stripeCustomerId: string | null };

export type Written = PlanIds &
  LifecycleSeen & { customerId: string; customerStripeId: string | null };

const behind = (status: SubscriptionStatus) => status === "PAST_DUE" || status === "UNPAID";

// Numbered parameters for a statement built in parts.
function parameters() {
  const values: unknown[] = [];
  return { values, p: (v: unknown) => `$${values.push(v)}` };
}
type Param = ReturnType<typeof parameters>["p"];

// pastDueSince on an existing row: set when the subscription falls behind and kept while it
// stays behind (the grace period runs from the first failure), cleared when it is paid up.
function nextPastDueSince(status: SubscriptionStatus, eventAt: Date, p: Param): string {
  if (behind(status)) return `COALESCE("pastDueSince", ${p(eventAt)})`;
  if (status === "ACTIVE" || status === "TRIALING") return "NULL";
  return `"pastDueSince"`;
}

function customerIdSql(ref: CustomerRef, p: Param): string | null {
  if ("id" in ref) return p(ref.id);
  const byStripe =
    ref.stripeCustomerId &&
    `(SELECT c."id" FROM "Customer" c WHERE c."stripeCustomerId" = ${p(ref.stripeCustomerId)})`;
  const byId =
    ref.parleyCustomerId &&
    `(SELECT c."id" FROM "Customer" c WHERE c."id" = ${p(ref.parleyCustomerId)})`;
  if (byId && byStripe) return `COALESCE(${byId}, ${byStripe})`;
  return byId || byStripe || null;
}

type Row = Record<
  | "customerId"
  | "status"
  | "pastDueSince"
  | "canceledAt"
  | "currentPeriodEnd"
  | "lifecycleDue"
  | "customerStatus"
  | "customerStripeId"
  | "planId"
  | "pricePlanId",
  unknown
>;

// SQLite's rows carry booleans as 0/1; PostgreSQL's come typed.
const toBool = (v: unknown) => v === true || v === 1 || v === 1n || v === "1";
const toId = (v: unknown) => (v === null || v === undefined ? null : String(v));

// Writes `values` onto the customer's row unless a newer event was applied (an equal `created`
// is applied: Stripe's clock has one-second resolution). null when nothing was written: no such
// customer, no row yet, or a row holding a newer event.
export async function updateSubscription(
  customer: CustomerRef,
  created: number,
  values: SubscriptionValues,
): Promise<Written | null> {
  const { values: bound, p } = parameters();
  const customerId = customerIdSql(customer, p);
  if (!customerId) return null;
  const eventCreated = p(created);
  const next = {
    status: p(values.status),
    pastDueSince: nextPastDueSince(values.status, new Date(created * 1000), p),
    canceledAt: p(values.canceledAt),
    currentPeriodEnd: p(values.currentPeriodEnd),
  };
  // What the lifecycle reads for the new status (lib/billing/lifecycle.ts): a new status, or a
  // change in one of those fields, makes it due.
  const changed = (["status", ...lifecycleFields(values.status)] as const)
    .map((c) => `"${c}" IS DISTINCT FROM ${next[c]}`)
    .join(" OR ");
  const [row] = await sqlOf(prisma).query<Row>(
    `UPDATE "Subscription" SET
      "stripeSubscriptionId" = ${p(values.stripeSubscriptionId)},
      "stripePriceId" = ${p(values.stripePriceId)},
      "status" = ${next.status},
      "currentPeriodEnd" = ${next.currentPeriodEnd},
      "cancelAtPeriodEnd" = ${p(values.cancelAtPeriodEnd)},
      "canceledAt" = ${next.canceledAt},
      "pastDueSince" = ${next.pastDueSince},
      "lastEventCreated" = ${eventCreated},
      "lifecycleDue" = ("lifecycleDue" OR ${changed}),
      "updatedAt" = ${p(now())}
    WHERE "customerId" = ${customerId} AND "lastEventCreated" <= ${eventCreated}
    RETURNING "customerId", "status", "pastDueSince", "canceledAt", "currentPeriodEnd", "lifecycleDue",
      (SELECT c."status" FROM "Customer" c WHERE c."id" = "Subscription"."customerId") AS "customerStatus",
      (SELECT c."stripeCustomerId" FROM "Customer" c WHERE c."id" = "Subscription"."customerId") AS "customerStripeId",
      (SELECT c."planId" FROM "Customer" c WHERE c."id" = "Subscription"."customerId") AS "planId",
      (SELECT p."id" FROM "Plan" p WHERE p."stripePriceId" = "Subscription"."stripePriceId") AS "pricePlanId"`,
    bound,
    true,
  );
  if (!row) return null;
  return {
    customerId: String(row.customerId),
    inputs: {
      status: row.status as SubscriptionStatus,
      pastDueSince: date(row.pastDueSince),
      canceledAt: date(row.canceledAt),
      currentPeriodEnd: date(row.currentPeriodEnd),
    },
    lifecycleDue: toBool(row.lifecycleDue),
    customerStatus: row.customerStatus as CustomerStatus,
    customerStripeId: toId(row.customerStripeId),
    planId: toId(row.planId),
    pricePlanId: toId(row.pricePlanId),
  };
}

// The row of a customer already resolved: updated when this event is not older than the last one
// applied, created when there is none. A row created or updated by a concurrent delivery between
// the steps sends the loop round again, so "stale" is only said of a row holding a newer event.
export async function writeSubscription(
  customerId: string,
  created: number,
  values: SubscriptionValues,
): Promise<Written | "created" | "stale"> {
  for (let round = 0; round < 5; round++) {
    const written = await updateSubscription({ id: customerId }, created, values);
    if (written) return written;
    const existing = await prisma.subscription.findUnique({
      where: { customerId },
      select: { lastEventCreated: true },
    });
    if (existing && existing.lastEventCreated > created) return "stale";
    if (existing) continue;
    try {
      const pastDueSince = behind(values.status) ? new Date(created * 1000) : null;
      await prisma.subscription.create({
        data: { customerId, ...values, pastDueSince, lastEventCreated: created },
      });
      return "created";
    } catch (error) {
      // Two first events for the same customer raced on the create: the loser writes again.
      if ((error as { code?: string }).code !== "P2002") throw error;
    }
  }
  throw new Error(`The subscription of customer ${customerId} kept changing while being written`);
}
