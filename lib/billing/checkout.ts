import { prisma } from "@/core/db";
import { getConfig } from "@/core/config";
import { AppError } from "@/core/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { stripeClient } from "@/lib/billing/stripe-client";
import { createSubscriptionCheckout } from "@/lib/billing/subscription-checkout";

type Actor = { id: string; email: string };

function stripeOrFail() {
  const stripe = stripeClient();
  if (!stripe)
    throw new AppError("invalid", "Billing is off: set STRIPE_SECRET_KEY to use Stripe.");
  return stripe;
}

// A staff-sent offer: a Stripe Checkout link for one customer and one plan. The customer is
// identified to Stripe only by Parley's id; the webhook links the Stripe customer back.
export async function createCheckoutLink(
  customerId: string,
  planId: string,
  actor: Actor,
): Promise<string> {
  const stripe = stripeOrFail();
  const [customer, plan] = await Promise.all([
    prisma.customer.findUnique({
      where: { id: customerId },
      select: { id: true, stripeCustomerId: true, status: true },
    }),
    prisma.plan.findUnique({
      where: { id: planId },
      select: { id: true, stripePriceId: true, archivedAt: true, name: true },
    }),
  ]);
  if (!customer) throw new AppError("not_found", "That customer does not exist.");
  if (!plan || plan.archivedAt)
    throw new AppError("invalid", "Choose a current plan.", { planId: ["Choose a plan"] });
  if (!plan.stripePriceId)
    throw new AppError(
      "invalid",
      `The plan “${plan.name}” has no Stripe price yet; link one under Plans.`,
      { planId: ["No Stripe price"] },
    );
  const url = await createSubscriptionCheckout(stripe, {
    customerId: customer.id,
    priceId: plan.stripePriceId,
    payer: customer.stripeCustomerId ? { stripeCustomerId: customer.stripeCustomerId } : null,
    successPath: "/portal/billing?paid=1",
    cancelPath: "/portal/billing",
    idempotencyKey: `checkout:${customer.id}:${plan.id}:${Date.now()}`,
  });
  await recordAudit({
    actor,
    action: "billing.checkout_link_created",
    targetType: "customer",
    targetId: customer.id,
    customerId: customer.id,
    details: { planId: plan.id },
  });
  return url;
}

// Stripe's Customer Portal: cards, invoices and cancellation, for the customer's portal users.
export async function createPortalLink(customerId: string, actor: Actor): Promise<string> {
  const stripe = stripeOrFail();
  const customer = await prisma.customer.findUnique({
    where: { id: customerId },
    select: { stripeCustomerId: true },
  });
  if (!customer?.stripeCustomerId)
    throw new AppError("invalid", "There is no Stripe subscription for this customer yet.");
  const session = await stripe.billingPortal.sessions.create({
    customer: customer.stripeCustomerId,
    return_url: `${getConfig().publicUrl}/portal/billing`,
  });
  await recordAudit({
    actor,
    action: "billing.portal_opened",
    targetType: "customer",
    targetId: customerId,
    customerId,
  });
  return session.url;
}
