// The billing lifecycle's guarded statements (SQL shared by SQLite and PostgreSQL).
//
// moveIfUnchanged: the lifecycle's common move (a payment failed, a payment went through, the
// grace period is over) as one statement instead of lock, read and write, decided on what the
// webhook's subscription write just returned and made only if that is still so. Like
// lockCustomer it takes the customer's row lock, so the caller then sets the accounts' billing
// reason under it, as the locked path does.
//
// markLifecycleDone: clears Subscription.lifecycleDue for the values the sync decided on.
import { Prisma } from "@/generated/sqlite/client";
import { now } from "@/core/clock";
import type { DB } from "@/core/db";
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
  tx: Pick<DB, "$executeRaw">,
  customerId: string,
  seen: LifecycleSeen,
  at: Date,
): Promise<BillingPlan | null> {
  const plan = plannedState(seen.inputs, at);
  if (plan.want === "TERMINATED") return null;
  const moved = await tx.$executeRaw`
    UPDATE "Customer" SET "status" = ${plan.want}, "updatedAt" = ${now()}
    WHERE "id" = ${customerId} AND "status" = ${seen.customerStatus}
      AND EXISTS (SELECT 1 FROM "Subscription"
        WHERE "Subscription"."customerId" = ${customerId} AND ${holdsInputs(seen.inputs)})`;
  return moved === 1 ? plan : null;
}

// Clears Subscription.lifecycleDue once the customer is in line with `decided`, unless a write
// changed one of those values since (it set the flag, and its own sync follows).
export async function markLifecycleDone(
  tx: Pick<DB, "$executeRaw">,
  customerId: string,
  decided: LifecycleInputs,
): Promise<void> {
  await tx.$executeRaw`
    UPDATE "Subscription" SET "lifecycleDue" = FALSE
    WHERE "customerId" = ${customerId} AND ${holdsInputs(decided)}`;
}

// SQL: the Subscription row still holds what the lifecycle decided on.
function holdsInputs(decided: LifecycleInputs): Prisma.Sql {
  const same = Object.entries(decidedOn(decided)).map(([field, value]) =>
    value === null
      ? Prisma.sql`${Prisma.raw(`"Subscription"."${field}"`)} IS NULL`
      : Prisma.sql`${Prisma.raw(`"Subscription"."${field}"`)} = ${value}`,
  );
  return Prisma.join(same, " AND ");
}
