import { prisma } from "@/core/db";

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
  _count: { select: { customers: true } },
} as const;

// Current plans (or all, archived last), smallest first.
export function listPlans(options: { includeArchived?: boolean } = {}) {
  return prisma.plan.findMany({
    where: options.includeArchived ? {} : { archivedAt: null },
    orderBy: [{ archivedAt: "asc" }, { seats: "asc" }],
    select: PLAN_SELECT,
  });
}

export function getPlan(id: string) {
  return prisma.plan.findUnique({ where: { id }, select: PLAN_SELECT });
}

export function countCurrentPlans(): Promise<number> {
  return prisma.plan.count({ where: { archivedAt: null } });
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
