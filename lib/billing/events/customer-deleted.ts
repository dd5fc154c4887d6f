import type Stripe from "stripe";
import { prisma } from "@/core/db";
import { recordAudit } from "@/lib/audit/record-audit";
import { applySubscriptionChange } from "@/lib/billing/apply-subscription";

// customer.deleted: the Stripe customer is gone; unlink it so a new checkout can link a new one.
// The subscription row stays (Stripe sends customer.subscription.deleted for it).
export async function handleCustomerDeleted(event: Stripe.CustomerDeletedEvent): Promise<string> {
  const stripeCustomerId = event.data.object.id;
  const customer = await prisma.customer.findUnique({
    where: { stripeCustomerId },
    select: { id: true },
  });
  if (!customer) return "unknown customer";
  await prisma.$transaction(async (tx) => {
    await tx.customer.update({ where: { id: customer.id }, data: { stripeCustomerId: null } });
    await recordAudit(
      {
        actor: null,
        action: "billing.customer.unlinked",
        targetType: "customer",
        targetId: customer.id,
        customerId: customer.id,
        details: { eventId: event.id, stripeCustomerId },
      },
      tx,
    );
  });
  await applySubscriptionChange(customer.id);
  return "customer unlinked";
}
