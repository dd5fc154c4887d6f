// The billing lifecycle's guarded statements, written once for SQLite and PostgreSQL and run on
// driver-level SQL (core/sql.ts) or, through prismaRunner, in a Prisma transaction.
//
// moveIfUnchanged: the lifecycle's common move (a payment failed, a payment went through, the
// grace period is over) as one statement instead of lock, read and write, decided on what the
// webhook's subscription write just returned and made only if that is still so. Like
// lockCustomer it takes the customer's row lock, so the caller then reads the accounts under it,
// as the locked path does.
//
// markLifecycleDone: clears Subscription.lifecycleDue for the values the sync decided on.
import { now } from "@/core/clock";
import type { SqlRunner } from "@/core/sql";
import {
  decidedOn,
  plannedState,
  type BillingPlan,
  type LifecycleInputs,
  type LifecycleSeen,
} from "@/lib/billing/planned-state";

// The plan the customer was moved to, or null when the customer no longer has the status seen or
// the subscription no longer the values decided on (decidedOn), or when the plan is to terminate
// (accounts and rooms are removed on the locked path): the caller then takes the locked path.
export async function moveIfUnchanged(
  run: SqlRunner,
  customerId: string,
  seen: LifecycleSeen,
  at: Date,
): Promise<BillingPlan | null> {
  const plan = plannedState(seen.inputs, at);
  if (plan.want === "TERMINATED") return null;
  const values: unknown[] = [plan.want, now(), customerId, seen.customerStatus];
  const moved = await run.execute(
    `UPDATE "Customer" SET "status" = $1, "updatedAt" = $2
    WHERE "id" = $3 AND "status" = $4
      AND EXISTS (SELECT 1 FROM "Subscription"
        WHERE "Subscription"."customerId" = $3 AND ${holdsInputs(seen.inputs, values)})`,
    values,
    true,
  );
  return moved === 1 ? plan : null;
}

// Clears Subscription.lifecycleDue once the customer is in line with `decided`, unless a write
// changed one of those values since (it set the flag, and its own sync follows).
export async function markLifecycleDone(
  run: SqlRunner,
  customerId: string,
  decided: LifecycleInputs,
): Promise<void> {
  const values: unknown[] = [customerId];
  await run.execute(
    `UPDATE "Subscription" SET "lifecycleDue" = FALSE
    WHERE "customerId" = $1 AND ${holdsInputs(decided, values)}`,
    values,
    true,
  );
}

// SQL: the Subscription row still holds what the lifecycle decided on (its values are added).
function holdsInputs(decided: LifecycleInputs, values: unknown[]): string {
  return Object.entries(decidedOn(decided))
    .map(([field, value]) =>
      value === null
        ? `"Subscription"."${field}" IS NULL`
        : `"Subscription"."${field}" = $${values.push(value)}`,
    )
    .join(" AND ");
}
