import { prisma } from "@/core/db";
import type { Principal } from "@/lib/auth/policy";
import { auditVisibleTo } from "@/lib/billing/visibility";

// Reads of the audit trail.

export type AuditFilter = { customerId?: string; action?: string; actor?: string; page?: number };
export const AUDIT_PAGE_SIZE = 50;

// What the viewer may see: billing events only for those who may read billing.
export async function listAuditEvents(filter: AuditFilter, viewer: Principal) {
  const where = {
    ...auditVisibleTo(viewer),
    ...(filter.customerId ? { customerId: filter.customerId } : {}),
    ...(filter.action ? { action: { startsWith: filter.action } } : {}),
    ...(filter.actor ? { actorLabel: { contains: filter.actor } } : {}),
  };
  const page = Math.max(1, filter.page ?? 1);
  const [events, total] = await Promise.all([
    prisma.auditEvent.findMany({
      where,
      orderBy: { at: "desc" },
      skip: (page - 1) * AUDIT_PAGE_SIZE,
      take: AUDIT_PAGE_SIZE,
      select: {
        id: true,
        at: true,
        actorLabel: true,
        action: true,
        targetType: true,
        targetId: true,
        customerId: true,
        reason: true,
        details: true,
      },
    }),
    prisma.auditEvent.count({ where }),
  ]);
  return { events, total, page, pages: Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE)) };
}

// The latest events across the service, for the console overview.
export function listRecentAuditEvents(viewer: Principal, take = 8) {
  return prisma.auditEvent.findMany({
    where: auditVisibleTo(viewer),
    orderBy: { at: "desc" },
    take,
    select: { id: true, at: true, actorLabel: true, action: true },
  });
}
