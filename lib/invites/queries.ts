import { z } from "zod";
import { prisma } from "@/core/db";
import { now } from "@/core/clock";
import { readInChunks } from "@/lib/tables/chunks";
import {
  LOG_COUNT_CAP,
  ZListBase,
  createdRange,
  readListPage,
  textMatch,
  type KeysetColumn,
} from "@/lib/tables/keyset";

// Reads of invites (the links people register, join rooms or add contacts with). Never the
// token's hash.

export const INVITE_STATUSES = ["active", "used", "expired", "revoked"] as const;
export type InviteStatus = (typeof INVITE_STATUSES)[number];
export const INVITE_KINDS = ["ACCOUNT", "ROOM", "CONTACT"] as const;

export function inviteStatus(
  i: { uses: number; maxUses: number; expiresAt: Date | null; revokedAt: Date | null },
  at = now(),
): InviteStatus {
  if (i.revokedAt) return "revoked";
  if (i.uses >= i.maxUses) return "used";
  if (i.expiresAt && i.expiresAt <= at) return "expired";
  return "active";
}

// The same states as a where, in inviteStatus's order of precedence ("used" compares two
// columns, which Prisma says with a field reference).
export function inviteStatusWhere(status: InviteStatus, at: Date) {
  const open = { revokedAt: null, uses: { lt: prisma.invite.fields.maxUses } };
  return {
    active: { ...open, OR: [{ expiresAt: null }, { expiresAt: { gt: at } }] },
    used: { revokedAt: null, uses: { gte: prisma.invite.fields.maxUses } },
    expired: { ...open, expiresAt: { lte: at } },
    revoked: { revokedAt: { not: null } },
  }[status];
}

// An invite's own columns a list shows: never its token's hash.
export const INVITE_FIELDS = {
  id: true,
  kind: true,
  localpart: true,
  maxUses: true,
  uses: true,
  expiresAt: true,
  revokedAt: true,
  note: true,
  createdAt: true,
  roomId: true,
  accountId: true,
} as const;

const INVITE_SELECT = {
  ...INVITE_FIELDS,
  customer: { select: { id: true, name: true } },
  createdBy: { select: { name: true, email: true } },
  redemptions: { orderBy: { usedAt: "asc" }, select: { usedAt: true, accountId: true } },
} as const;

type InviteRow = {
  uses: number;
  maxUses: number;
  expiresAt: Date | null;
  revokedAt: Date | null;
  redemptions: { usedAt: Date; accountId: string | null }[];
};

// Each invite's status and the addresses that joined through it (for a page, or a CSV
// export's batch of a thousand: its accounts are read a few hundred at a time).
export async function withJoined<T extends InviteRow>(rows: T[], at: Date) {
  const accountIds = rows
    .flatMap((r) => r.redemptions.map((u) => u.accountId))
    .filter((id): id is string => Boolean(id));
  const accounts = await readInChunks(accountIds, (ids) =>
    prisma.xmppAccount.findMany({
      where: { id: { in: ids } },
      select: { id: true, localpart: true, domain: true },
    }),
  );
  const address = new Map(accounts.map((a) => [a.id, `${a.localpart}@${a.domain}`]));
  return rows.map((r) => ({
    ...r,
    status: inviteStatus(r, at),
    joined: r.redemptions.map((u) => ({
      at: u.usedAt,
      address: u.accountId ? (address.get(u.accountId) ?? "(deleted)") : "(deleted)",
    })),
  }));
}

// One customer's invites, newest first (its portal, and the staff's read-only view of it).
export async function listCustomerInvites(customerId: string) {
  const at = now();
  const rows = await prisma.invite.findMany({
    where: { customerId },
    orderBy: { createdAt: "desc" },
    take: 200,
    select: INVITE_SELECT,
  });
  return withJoined(rows, at);
}

export type InviteListItem = Awaited<ReturnType<typeof listCustomerInvites>>[number];

// The console's invite list: keyset pages over any filter, sort and search, in one function.
// Parse the URL's params with ZInviteListParams first.
export const ZInviteListParams = ZListBase.extend({
  status: z.enum(INVITE_STATUSES).optional().catch(undefined),
  kind: z.enum(INVITE_KINDS).optional().catch(undefined),
  server: z.string().trim().min(1).max(64).optional().catch(undefined),
  customer: z.string().trim().min(1).max(64).optional().catch(undefined),
  sort: z.enum(["created", "expires"]).catch("created"),
});
export type InviteListParams = z.infer<typeof ZInviteListParams>;

// Expiry ascending is "soonest first": invites that never expire come last.
export const INVITE_SORTS = {
  created: { field: "createdAt", kind: "value" },
  expires: { field: "expiresAt", kind: "nullable", nulls: "last" },
} as const satisfies Record<InviteListParams["sort"], KeysetColumn>;

// The search alone, so a faster text search can replace it: the note (the invite's label) or
// the fixed username.
export function inviteSearchWhere(q: string | undefined, match: "prefix" | "contains") {
  if (!q) return {};
  return { OR: [{ note: textMatch(q, match) }, { localpart: textMatch(q.toLowerCase(), match) }] };
}

export function inviteListWhere(params: InviteListParams, at: Date) {
  return {
    AND: [
      params.status ? inviteStatusWhere(params.status, at) : {},
      inviteSearchWhere(params.q, params.match),
    ],
    ...(params.kind ? { kind: params.kind } : {}),
    ...(params.server ? { serverId: params.server } : {}),
    ...(params.customer ? { customerId: params.customer } : {}),
    ...createdRange(params.from, params.to),
  };
}

export async function listInvites(params: InviteListParams) {
  const at = now();
  const filter = inviteListWhere(params, at);
  const page = await readListPage(params, {
    column: INVITE_SORTS[params.sort],
    read: ({ where, ...page }) =>
      prisma.invite.findMany({
        ...page,
        where: { AND: [filter, where] },
        select: { ...INVITE_SELECT, serverId: true },
      }),
    sortValue: (r) => (params.sort === "expires" ? r.expiresAt : r.createdAt),
    count: (take, orderBy) => prisma.invite.count({ where: filter, take, orderBy }),
    // Invites pile up like a log: a status filter's count tests each row's state, and past a
    // thousand (10 ms for 10,000 on PostgreSQL at 50,000 invites) it changes nothing one does.
    countCap: LOG_COUNT_CAP,
  });
  return { ...page, rows: await withJoined(page.rows, at) };
}
