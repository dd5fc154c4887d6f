import { prisma } from "@/core/db";
import { now } from "@/core/clock";
import { plannedState } from "@/lib/billing/lifecycle";

// Reads of subscriptions. No card or personal data: Stripe keeps that.

// Subscriptions that count towards monthly recurring revenue, and those whose payment failed.
export const MRR_STATUSES = ["ACTIVE", "PAST_DUE", "TRIALING"] as const;
export const FAILED_PAYMENT_STATUSES = ["PAST_DUE", "UNPAID", "INCOMPLETE"] as const;

// What the Billing page shows: subscriptions by status, monthly recurring revenue, failed
// payments and what happens next.
export async function getBillingOverview() {
  const at = now();
  const subs = await prisma.subscription.findMany({
    select: {
      id: true,
      status: true,
      cancelAtPeriodEnd: true,
      currentPeriodEnd: true,
      pastDueSince: true,
      canceledAt: true,
      updatedAt: true,
      customer: {
        select: {
          id: true,
          name: true,
          status: true,
          plan: { select: { name: true, priceCents: true, currency: true } },
        },
      },
    },
    orderBy: { updatedAt: "desc" },
  });
  const byStatus = new Map<string, number>();
  const mrr = new Map<string, number>();
  const upcoming: {
    customerId: string;
    customer: string;
    what: "suspension" | "termination";
    at: Date;
  }[] = [];
  for (const s of subs) {
    byStatus.set(s.status, (byStatus.get(s.status) ?? 0) + 1);
    const plan = s.customer.plan;
    if (plan?.priceCents && (MRR_STATUSES as readonly string[]).includes(s.status))
      mrr.set(plan.currency, (mrr.get(plan.currency) ?? 0) + plan.priceCents);
    const p = plannedState(s, at);
    if (p.want === "PAST_DUE" && p.suspendAt)
      upcoming.push({
        customerId: s.customer.id,
        customer: s.customer.name,
        what: "suspension",
        at: p.suspendAt,
      });
    if ((p.want === "SUSPENDED" || p.want === "ACTIVE") && p.terminateAt)
      upcoming.push({
        customerId: s.customer.id,
        customer: s.customer.name,
        what: "termination",
        at: p.terminateAt,
      });
  }
  const failedPayments = subs.filter((s) =>
    (FAILED_PAYMENT_STATUSES as readonly string[]).includes(s.status),
  );
  return {
    subscriptions: subs,
    byStatus: [...byStatus.entries()],
    mrr: [...mrr.entries()].map(([currency, cents]) => ({ currency, cents })),
    failedPayments,
    upcoming: upcoming.sort((a, b) => a.at.getTime() - b.at.getTime()),
  };
}

// A customer's subscription as staff with billing access see it.
export function getCustomerSubscription(customerId: string) {
  return prisma.subscription.findUnique({
    where: { customerId },
    select: { status: true, cancelAtPeriodEnd: true, currentPeriodEnd: true, pastDueSince: true },
  });
}

// A customer's plan, Stripe link and subscription, for its own billing page.
export function getCustomerBilling(customerId: string) {
  return prisma.customer.findUniqueOrThrow({
    where: { id: customerId },
    select: {
      stripeCustomerId: true,
      plan: { select: { name: true, priceCents: true, currency: true } },
      subscription: { select: { status: true, currentPeriodEnd: true, cancelAtPeriodEnd: true } },
    },
  });
}
