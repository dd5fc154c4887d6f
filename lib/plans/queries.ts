import { prisma } from "@/core/db";
import { COUNTS_MAX_AGE_MS, readFigure } from "@/lib/stats/cached-figure";

// Reads of plans.

const PLAN_SELECT = {
  id: true,
  name: true,
  description: true,
  seats: true,
  rooms: true,
  retentionDays: true,
  priceCents: true,
  currency: true,
  stripePriceId: true,
  archivedAt: true,
} as const;

// Current plans (or all, archived last), smallest first: for selects and forms.
export function listPlans(options: { includeArchived?: boolean } = {}) {
  return prisma.plan.findMany({
    where: options.includeArchived ? {} : { archivedAt: null },
    orderBy: [{ archivedAt: "asc" }, { seats: "asc" }],
    select: PLAN_SELECT,
  });
}

// Customers per plan: one grouped pass over the customer table (tens of milliseconds at
// 100,000 customers, so shared through the figure cache).
async function countCustomersPerPlan(): Promise<Record<string, number>> {
  const groups = await prisma.customer.groupBy({
    by: ["planId"],
    where: { planId: { not: null } },
    _count: { _all: true },
  });
  return Object.fromEntries(groups.map((g) => [g.planId, g._count._all]));
}

// Shared by the plans page and each plan's page: one count for both.
function customersPerPlan() {
  return readFigure({
    key: "usage:plans",
    maxAgeMs: COUNTS_MAX_AGE_MS,
    compute: countCustomersPerPlan,
    revive: (json) => json as Record<string, number>,
  });
}

// Every plan with its number of customers, for the plans page.
export async function listPlansWithCustomers() {
  const [plans, counts] = await Promise.all([
    listPlans({ includeArchived: true }),
    customersPerPlan(),
  ]);
  return {
    plans: plans.map((p) => ({ ...p, customers: counts.value[p.id] ?? 0 })),
    counted: counts,
  };
}

// One plan with its number of customers (`counted` says how old that number is).
export async function getPlan(id: string) {
  const [plan, counts] = await Promise.all([
    prisma.plan.findUnique({ where: { id }, select: PLAN_SELECT }),
    customersPerPlan(),
  ]);
  return plan ? { ...plan, customers: counts.value[plan.id] ?? 0, counted: counts } : null;
}

// Current plans with a Stripe price: what the public sign-up offers.
export function listSignupPlans() {
  return prisma.plan.findMany({
    where: { archivedAt: null, stripePriceId: { not: null } },
    orderBy: { seats: "asc" },
    select: {
      id: true,
      name: true,
      seats: true,
      rooms: true,
      retentionDays: true,
      priceCents: true,
      currency: true,
    },
  });
}

// Current plans and how long they keep messages, for the public privacy page.
export function listPlanRetention() {
  return prisma.plan.findMany({
    where: { archivedAt: null },
    orderBy: { seats: "asc" },
    select: { id: true, name: true, retentionDays: true },
  });
}
