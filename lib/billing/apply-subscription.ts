import { prisma } from "@/core/db";
import { recordAudit } from "@/lib/audit/record-audit";
import { syncCustomerBilling } from "@/lib/billing/lifecycle";
import { onboardPaidCustomer } from "@/lib/billing/signup";
import { notifyCustomer } from "@/lib/notifications/notify";

// Called by the Stripe webhook once per subscription change it actually applied (never for
// replays or stale events); an error makes the webhook answer 500 so Stripe retries.
// After Stripe changed a customer's subscription: the plan follows the subscribed price (limits
// change at once; accounts over a smaller seat limit are only flagged, never deleted), then the
// customer and its accounts are brought in line with the subscription's state.
export async function applySubscriptionChange(customerId: string): Promise<void> {
  const customer = await prisma.customer.findUnique({
    where: { id: customerId },
    select: { id: true, planId: true, subscription: { select: { stripePriceId: true } } },
  });
  if (!customer) return;
  const priceId = customer.subscription?.stripePriceId;
  if (priceId) {
    const plan = await prisma.plan.findUnique({
      where: { stripePriceId: priceId },
      select: { id: true, name: true, seats: true },
    });
    if (plan && plan.id !== customer.planId) {
      const used = await prisma.xmppAccount.count({
        where: { customerId, status: { notIn: ["DELETED", "FAILED"] } },
      });
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
            details: { from: customer.planId, to: plan.id, seatsUsed: used, seats: plan.seats },
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
  }
  const result = await syncCustomerBilling(customerId);
  // A sign-up that was just paid for: welcome the new customer.
  if (result?.from === "PENDING" && result.to === "ACTIVE") {
    await onboardPaidCustomer(customerId);
  }
}
