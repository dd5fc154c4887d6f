import { prisma } from "@/core/db";
import { now } from "@/core/clock";
import { AppError } from "@/core/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import type { TCustomerInput } from "@/lib/validation/customers";

type Actor = { id: string; email: string };
export const CUSTOMER_PAGE_SIZE = 25;

export async function listCustomers(filter: { q?: string; status?: string; page?: number }) {
  const q = filter.q?.trim();
  const where = {
    ...(q ? { OR: [{ name: { contains: q } }, { contactEmail: { contains: q.toLowerCase() } }] } : {}),
    ...(filter.status ? { status: filter.status as never } : {}),
  };
  const page = Math.max(1, filter.page ?? 1);
  const [customers, total] = await Promise.all([
    prisma.customer.findMany({
      where,
      orderBy: { createdAt: "desc" },
      skip: (page - 1) * CUSTOMER_PAGE_SIZE,
      take: CUSTOMER_PAGE_SIZE,
      select: {
        id: true, name: true, kind: true, contactEmail: true, status: true, createdAt: true,
        plan: { select: { id: true, name: true, seats: true, rooms: true } },
        _count: { select: { accounts: { where: { deletedAt: null } }, rooms: true, users: true } },
      },
    }),
    prisma.customer.count({ where }),
  ]);
  return { customers, total, page, pages: Math.max(1, Math.ceil(total / CUSTOMER_PAGE_SIZE)) };
}

export async function getCustomer(id: string) {
  return prisma.customer.findUnique({
    where: { id },
    select: {
      id: true, name: true, kind: true, contactEmail: true, status: true, notes: true, createdAt: true, planId: true, closingAt: true,
      plan: { select: { id: true, name: true, seats: true, rooms: true, retentionDays: true } },
      users: { select: { id: true, name: true, email: true, disabledAt: true, lastLoginAt: true, lockedUntil: true, passwordHash: false }, orderBy: { createdAt: "asc" } },
      _count: { select: { accounts: { where: { deletedAt: null } }, rooms: true, invites: true } },
    },
  });
}

async function assertPlanUsable(planId: string | undefined) {
  if (!planId) return;
  const plan = await prisma.plan.findUnique({ where: { id: planId }, select: { archivedAt: true } });
  if (!plan) throw new AppError("invalid", "That plan does not exist.", { planId: ["Choose an existing plan"] });
  if (plan.archivedAt) throw new AppError("invalid", "That plan is archived; choose a current plan.", { planId: ["Archived plan"] });
}

export async function createCustomer(input: TCustomerInput, actor: Actor) {
  await assertPlanUsable(input.planId);
  return prisma.$transaction(async (tx) => {
    const customer = await tx.customer.create({
      data: { name: input.name, kind: input.kind, contactEmail: input.contactEmail, planId: input.planId ?? null, notes: input.notes, createdAt: now() },
      select: { id: true },
    });
    await recordAudit({ actor, action: "customer.created", targetType: "customer", targetId: customer.id, customerId: customer.id, details: { name: input.name, planId: input.planId ?? null } }, tx);
    return customer;
  });
}

export async function updateCustomer(id: string, input: TCustomerInput, actor: Actor) {
  const existing = await prisma.customer.findUnique({ where: { id }, select: { planId: true } });
  if (!existing) throw new AppError("not_found", "That customer does not exist.");
  if (input.planId !== existing.planId) await assertPlanUsable(input.planId);
  await prisma.$transaction(async (tx) => {
    await tx.customer.update({
      where: { id },
      data: { name: input.name, kind: input.kind, contactEmail: input.contactEmail, planId: input.planId ?? null, notes: input.notes },
    });
    await recordAudit({
      actor, action: "customer.updated", targetType: "customer", targetId: id, customerId: id,
      details: input.planId !== existing.planId ? { planFrom: existing.planId, planTo: input.planId ?? null } : undefined,
    }, tx);
  });
}

export async function customerUsage(customerId: string) {
  const [accounts, rooms] = await Promise.all([
    prisma.xmppAccount.count({ where: { customerId, deletedAt: null } }),
    prisma.room.count({ where: { customerId, status: { not: "DELETED" } } }),
  ]);
  return { accounts, rooms };
}
