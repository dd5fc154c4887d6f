import { z } from "zod";
import { prisma } from "@/core/db";
import { now } from "@/core/clock";
import {
  ZListBase,
  createdRange,
  readListPage,
  textMatch,
  type KeysetColumn,
} from "@/lib/tables/keyset";

// Reads of console and portal users. Never password hashes or second-factor secrets.

// Admins and support staff, oldest first.
export function listStaff() {
  return prisma.user.findMany({
    where: { role: { in: ["ADMIN", "SUPPORT"] } },
    orderBy: { createdAt: "asc" },
    select: {
      id: true,
      name: true,
      email: true,
      role: true,
      disabledAt: true,
      lockedUntil: true,
      totpEnabledAt: true,
      lastLoginAt: true,
    },
  });
}

// Portal users locked out by failed sign-ins right now.
export function listLockedPortalUsers() {
  return prisma.user.findMany({
    where: { role: "CUSTOMER", lockedUntil: { gt: now() } },
    select: {
      id: true,
      name: true,
      email: true,
      lockedUntil: true,
      customer: { select: { name: true } },
    },
  });
}

// The portal users of one customer, oldest first.
export function listCustomerUsers(customerId: string) {
  return prisma.user.findMany({
    where: { customerId },
    orderBy: { createdAt: "asc" },
    select: { id: true, name: true, email: true, lastLoginAt: true },
  });
}

// How many of a user's recovery codes are still unused.
export function remainingRecoveryCodes(userId: string): Promise<number> {
  return prisma.recoveryCode.count({ where: { userId, usedAt: null } });
}

// The console's list of every customer's portal users: keyset pages over any filter, sort and
// search, in one function. Parse the URL's params with ZPortalUserListParams first.
export const PORTAL_USER_STATES = ["active", "disabled", "locked"] as const;
export type PortalUserState = (typeof PORTAL_USER_STATES)[number];
export const ZPortalUserListParams = ZListBase.extend({
  state: z.enum(PORTAL_USER_STATES).optional().catch(undefined),
  customer: z.string().trim().min(1).max(64).optional().catch(undefined),
  sort: z.enum(["name", "email", "created", "login"]).catch("created"),
});
export type PortalUserListParams = z.infer<typeof ZPortalUserListParams>;

// Last sign-in newest first; those who never signed in sort below everyone who did.
export const PORTAL_USER_SORTS = {
  name: { field: "name", kind: "value" },
  email: { field: "email", kind: "value" },
  created: { field: "createdAt", kind: "value" },
  login: { field: "lastLoginAt", kind: "nullable", nulls: "first", newestFirst: true },
} as const satisfies Record<PortalUserListParams["sort"], KeysetColumn>;

// Disabled wins over locked: a disabled user cannot sign in whatever the lock says.
export function portalUserState(
  u: { disabledAt: Date | null; lockedUntil: Date | null },
  at = now(),
): PortalUserState {
  if (u.disabledAt) return "disabled";
  return u.lockedUntil && u.lockedUntil > at ? "locked" : "active";
}

function portalUserStateWhere(state: PortalUserState, at: Date) {
  return {
    active: { disabledAt: null, OR: [{ lockedUntil: null }, { lockedUntil: { lte: at } }] },
    disabled: { disabledAt: { not: null } },
    locked: { disabledAt: null, lockedUntil: { gt: at } },
  }[state];
}

// The search alone, so a faster text search can replace it: name or email.
export function portalUserSearchWhere(q: string | undefined, match: "prefix" | "contains") {
  if (!q) return {};
  return { OR: [{ name: textMatch(q, match) }, { email: textMatch(q.toLowerCase(), match) }] };
}

export function portalUserListWhere(params: PortalUserListParams, at: Date) {
  return {
    role: "CUSTOMER" as const,
    AND: [
      params.state ? portalUserStateWhere(params.state, at) : {},
      portalUserSearchWhere(params.q, params.match),
    ],
    ...(params.customer ? { customerId: params.customer } : {}),
    ...createdRange(params.from, params.to),
  };
}

// A portal user's columns a list shows: no password hash, second-factor secret or codes.
export const PORTAL_USER_FIELDS = {
  id: true,
  name: true,
  email: true,
  createdAt: true,
  lastLoginAt: true,
  disabledAt: true,
  lockedUntil: true,
  totpEnabledAt: true,
} as const;

export async function listPortalUsers(params: PortalUserListParams) {
  const at = now();
  const filter = portalUserListWhere(params, at);
  const page = await readListPage(params, {
    column: PORTAL_USER_SORTS[params.sort],
    read: ({ where, ...page }) =>
      prisma.user.findMany({
        ...page,
        where: { AND: [filter, where] },
        select: { ...PORTAL_USER_FIELDS, customer: { select: { id: true, name: true } } },
      }),
    sortValue: (u) =>
      ({ name: u.name, email: u.email, created: u.createdAt, login: u.lastLoginAt })[params.sort],
    // Newest first whatever the page's sort: the (role, createdAt, id) index alone answers it.
    count: (take) =>
      prisma.user.count({ where: filter, take, orderBy: [{ createdAt: "desc" }, { id: "desc" }] }),
  });
  return {
    ...page,
    rows: page.rows.map(({ totpEnabledAt, ...u }) => ({
      ...u,
      twoFactor: totpEnabledAt !== null,
      state: portalUserState(u, at),
    })),
  };
}
