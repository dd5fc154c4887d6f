import { seatsInUse } from "@/lib/accounts/account-slot";
import { prisma } from "@/core/db";
import { recordAudit } from "@/lib/audit/record-audit";
import { syncCustomerBilling } from "@/lib/billing/lifecycle";
import type { LifecycleSeen } from "@/lib/billing/planned-state";
import { onboardPaidCustomer } from "@/lib/billing/signup";
import { notifyCustomer } from "@/lib/notifications/notify";

// The customer's plan and the plan linked to its subscription's price (null: none is linked).
export type PlanIds = { planId: string | null; pricePlanId: string | null };

async function readPlanIds(customerId: string): Promise<PlanIds | null> {
  const customer = await prisma.customer.findUnique({
    where: { id: customerId },
    select: { planId: true, subscription: { select: { stripePriceId: true } } },
  });
  if (!customer) return null;
  const priceId = customer.subscription?.stripePriceId;
  const plan = priceId
    ? await prisma.plan.findUnique({ where: { stripePriceId: priceId }, select: { id: true } })
    : null;
  return { planId: customer.planId, pricePlanId: plan?.id ?? null };
}

// Whether the price is linked to a plan other than the customer's.
export function planFollowsPrice({ planId, pricePlanId }: PlanIds): boolean {
  return pricePlanId !== null && pricePlanId !== planId;
}

// The plan follows the subscribed price: limits change at once; accounts over a smaller seat
// limit are only flagged, never deleted.
async function followPrice(customerId: string, ids: PlanIds): Promise<void> {
  const { planId, pricePlanId } = ids;
  if (!pricePlanId || !planFollowsPrice(ids)) return;
  const plan = await prisma.plan.findUniqueOrThrow({
    where: { id: pricePlanId },
    select: { id: true, name: true, seats: true },
  });
  const used = await seatsInUse(prisma, customerId);
  await prisma.$transaction(async (tx) => {
    await tx.customer.update({ where: { id: customerId }, data: { planId: plan.id } });
    await recordAudit(
      {
        actor: null,
        action: "customer.plan_changed",
        targetType: "customer",
        targetId: customerId,
        customerId,
        reason: "subscription changed",
        details: { from: planId, to: plan.id, seatsUsed: used, seats: plan.seats },
      },
      tx,
    );
  });
  if (used > plan.seats) {
    await notifyCustomer(customerId, {
      title: "Your new plan has fewer places",
      body: `You use ${used} accounts and the plan “${plan.name}” includes ${plan.seats}. Nothing was deleted: choose which accounts to remove, or pick a larger plan.`,
      link: "/portal",
      email: true,
    });
  }
}

// Called by the Stripe webhook after a subscription write that the plan or the lifecycle depends
// on (never for replays or stale events, nor for writes that changed nothing either reads; see
// lib/billing/events/sync-subscription.ts); an error makes the webhook answer 500 so Stripe
// retries. The plan follows the price, then the customer and its accounts are brought in line
// with the subscription's state. `written`: what the webhook's write just returned, if it did.
export async function applySubscriptionChange(
  customerId: string,
  written?: PlanIds & LifecycleSeen,
): Promise<void> {
  const ids = written ?? (await readPlanIds(customerId));
  if (!ids) return;
  await followPrice(customerId, ids);
  const result = await syncCustomerBilling(customerId, undefined, written);
  // A sign-up that was just paid for: welcome the new customer.
  if (result?.from === "PENDING" && result.to === "ACTIVE") {
    await onboardPaidCustomer(customerId);
  }
}
