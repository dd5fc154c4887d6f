import { prisma } from "@/core/db";

// Reads of customers.

export const CUSTOMER_PAGE_SIZE = 25;

export async function listCustomers(filter: { q?: string; status?: string; page?: number }) {
  const q = filter.q?.trim();
  const where = {
    ...(q
      ? { OR: [{ name: { contains: q } }, { contactEmail: { contains: q.toLowerCase() } }] }
      : {}),
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
        id: true,
        name: true,
        kind: true,
        contactEmail: true,
        status: true,
        createdAt: true,
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
      id: true,
      name: true,
      kind: true,
      contactEmail: true,
      status: true,
      notes: true,
      createdAt: true,
      planId: true,
      closingAt: true,
      plan: { select: { id: true, name: true, seats: true, rooms: true, retentionDays: true } },
      users: {
        select: {
          id: true,
          name: true,
          email: true,
          disabledAt: true,
          lastLoginAt: true,
          lockedUntil: true,
          passwordHash: false,
        },
        orderBy: { createdAt: "asc" },
      },
      _count: { select: { accounts: { where: { deletedAt: null } }, rooms: true, invites: true } },
    },
  });
}

export function countCustomers(): Promise<number> {
  return prisma.customer.count();
}

// Customers that can be given accounts, rooms ("open": not closed) or invites ("active"),
// by name: only those with a plan.
export function listCustomersWithPlan(which: "open" | "active") {
  return prisma.customer.findMany({
    where: { status: which === "active" ? "ACTIVE" : { not: "CLOSED" }, planId: { not: null } },
    orderBy: { name: "asc" },
    select: { id: true, name: true },
  });
}
