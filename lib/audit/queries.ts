import { z } from "zod";
import { getConfig } from "@/core/config";
import { isPostgresUrl, prisma } from "@/core/db";
import type { Principal } from "@/lib/auth/policy";
import { auditVisibleTo } from "@/lib/billing/visibility";
import {
  LOG_COUNT_CAP,
  ZListBase,
  dateRange,
  looksLikeId,
  readListPage,
  startsWithIndexed,
  textMatch,
  type KeysetColumn,
} from "@/lib/tables/keyset";

// Reads of the audit trail. What the viewer may see: billing events only for those who may
// read billing (auditVisibleTo), in every read below.

export const AUDIT_ROW_SELECT = {
  id: true,
  at: true,
  actorLabel: true,
  action: true,
  targetType: true,
  targetId: true,
  customerId: true,
  reason: true,
} as const;

// What audit rows are about; the filter's choices.
export const AUDIT_TARGET_TYPES = [
  "customer",
  "invite",
  "job",
  "outboxEmail",
  "plan",
  "policy",
  "room",
  "server",
  "settings",
  "subscription",
  "user",
  "xmppAccount",
] as const;

// The console's audit list: keyset pages on (at, id), newest first, over any filter and search.
// Parse the URL's params with ZAuditListParams first.
export const ZAuditListParams = ZListBase.extend({
  // The start of an action name, "account." or "customer.billing_"; stored names are lower case.
  action: z
    .string()
    .trim()
    .toLowerCase()
    .max(64)
    .regex(/^[a-z0-9_.]+$/)
    .optional()
    .catch(undefined),
  // The actor's whole email ("system" for Parley itself): an index seek, in time order.
  actor: z.string().trim().toLowerCase().max(320).optional().catch(undefined),
  customer: z.string().trim().min(1).max(64).optional().catch(undefined),
  target: z.enum(AUDIT_TARGET_TYPES).optional().catch(undefined),
  sort: z.enum(["time"]).catch("time"),
});
export type AuditListParams = z.infer<typeof ZAuditListParams>;

// One sort: time, newest first.
export const AUDIT_SORTS = {
  time: { field: "at", kind: "value", date: true, newestFirst: true },
} as const satisfies Record<AuditListParams["sort"], KeysetColumn>;

// A search word is a target's id (whole: ids are what staff paste), or else part of (or the
// start of) the reason given.
export function auditListWhere(
  params: AuditListParams,
  viewer: Principal,
  action: object | undefined = params.action ? { startsWith: params.action } : undefined,
) {
  const q = params.q?.trim();
  return {
    AND: [
      auditVisibleTo(viewer),
      action ? { action } : {},
      params.actor ? { actorLabel: params.actor } : {},
      params.customer ? { customerId: params.customer } : {},
      params.target ? { targetType: params.target } : {},
      dateRange("at", params.from, params.to),
      !q ? {} : looksLikeId(q) ? { targetId: q } : { reason: textMatch(q, params.match) },
    ],
  };
}

// The action prefix as an index range where the database compares bytes. SQLite, having no
// statistics to choose by, would then read every match and sort it by time, far slower for a
// common prefix ("account.": most events) than walking the time index and skipping the rest;
// so it gets the range only for a rare prefix, which the index tells by counting a few
// thousand entries at most. PostgreSQL chooses by its statistics.
const COMMON_ACTION = 3_000;
async function actionMatch(prefix: string | undefined) {
  if (!prefix) return undefined;
  const range = await startsWithIndexed(prefix);
  if (!("gte" in range) || isPostgresUrl(getConfig().databaseUrl)) return range;
  const n = await prisma.auditEvent.count({
    where: { action: range },
    orderBy: { action: "asc" },
    take: COMMON_ACTION,
  });
  return n < COMMON_ACTION ? range : { startsWith: prefix };
}

// The list's where with the action prefix matched as above (the list and its CSV export).
export async function auditListFilter(params: AuditListParams, viewer: Principal) {
  return auditListWhere(params, viewer, await actionMatch(params.action));
}

export async function listAuditEvents(viewer: Principal, params: AuditListParams) {
  const filter = await auditListFilter(params, viewer);
  return readListPage(params, {
    column: AUDIT_SORTS[params.sort],
    countCap: LOG_COUNT_CAP,
    read: ({ where, ...page }) =>
      prisma.auditEvent.findMany({
        ...page,
        where: { AND: [filter, where] },
        select: AUDIT_ROW_SELECT,
      }),
    sortValue: (r) => r.at,
    count: (take, orderBy) => prisma.auditEvent.count({ where: filter, take, orderBy }),
  });
}

// The latest events of one customer, for its page.
export function listCustomerAuditEvents(viewer: Principal, customerId: string, take = 10) {
  return prisma.auditEvent.findMany({
    where: { AND: [auditVisibleTo(viewer), { customerId }] },
    orderBy: [{ at: "desc" }, { id: "desc" }],
    take,
    select: AUDIT_ROW_SELECT,
  });
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
