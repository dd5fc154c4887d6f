import { z } from "zod";
import { prisma } from "@/core/db";
import { now } from "@/core/clock";
import { encryptionKey } from "@/core/secrets";
import { createAdapter } from "@/provisioning/servers/registry";
import { SUSPENSION_REASONS, parseReasons } from "@/provisioning/suspension";
import { SEARCH_COUNT_CAP, ZListBase, readListPage, type KeysetColumn } from "@/lib/tables/keyset";
import { conditionsWhere, createdConditions, type Condition } from "@/lib/tables/conditions";
import { countTextMatches, likeWhere, textSearchWhere } from "@/lib/tables/text-search";
import { SERVER_RECORD_SELECT } from "@/provisioning/servers/kind";

// Reads of XMPP accounts. Suspension reasons come parsed (`reasons`), never as stored JSON.

function withReasons<T extends { suspensionReasons: string }>({ suspensionReasons, ...rest }: T) {
  return { ...rest, reasons: parseReasons(suspensionReasons) };
}

export function countAccounts(): Promise<number> {
  return prisma.xmppAccount.count({ where: { deletedAt: null } });
}

// The console's account list (and, later, its CSV export): keyset pages over any filter, sort
// and search, in one function. Parse the URL's params with ZAccountListParams first.
const LISTED_STATUSES = ["PENDING", "ACTIVE", "SUSPENDED", "DELETING", "FAILED"] as const;
const ACCOUNT_STATUSES = [
  "PENDING",
  "ACTIVE",
  "SUSPENDED",
  "DELETING",
  "DELETED",
  "FAILED",
] as const;
export const ZAccountListParams = ZListBase.extend({
  status: z.enum(LISTED_STATUSES).optional().catch(undefined),
  server: z.string().trim().min(1).max(64).optional().catch(undefined),
  customer: z.string().trim().min(1).max(64).optional().catch(undefined),
  reason: z.enum(SUSPENSION_REASONS).optional().catch(undefined),
  sort: z.enum(["address", "created", "status"]).catch("created"),
});
export type AccountListParams = z.infer<typeof ZAccountListParams>;
export const ACCOUNT_LIST_STATUSES = LISTED_STATUSES;

export const ACCOUNT_SORTS = {
  address: { field: "localpart", kind: "value" },
  created: { field: "createdAt", kind: "value" },
  status: { field: "status", kind: "enum", type: "AccountStatus", values: ACCOUNT_STATUSES },
} as const satisfies Record<AccountListParams["sort"], KeysetColumn>;

// Everything but the search, as conditions (lib/tables/conditions.ts): deleted accounts are
// left out unless asked for by status.
export function accountConditions(params: AccountListParams): Condition[] {
  return [
    params.status
      ? { field: "status", op: "eq", value: params.status }
      : { field: "status", op: "ne", value: "DELETED" },
    ...(params.server ? [{ field: "serverId", op: "eq" as const, value: params.server }] : []),
    ...(params.customer
      ? [{ field: "customerId", op: "eq" as const, value: params.customer }]
      : []),
    // Reasons are stored as a JSON array of fixed words: the quoted word matches exactly one.
    ...(params.reason
      ? [{ field: "suspensionReasons", op: "has" as const, value: `"${params.reason}"` }]
      : []),
    ...createdConditions(params.from, params.to),
  ];
}

// "alice@example.org" searches the localpart and the domain apart; anything else searches the
// address's parts and the display name.
function splitAddress(params: AccountListParams) {
  const q = params.q?.trim().toLowerCase();
  const [local, domain] = q?.includes("@") ? q.split("@", 2) : [q, undefined];
  return { q, local, domain };
}

async function accountSearchWhere(params: AccountListParams) {
  const { q, local, domain } = splitAddress(params);
  if (!q) return {};
  if (domain === undefined) return textSearchWhere("XmppAccount", SEARCHED, q, params.match);
  return {
    AND: [
      params.match === "prefix"
        ? { localpart: { equals: local } }
        : local
          ? await textSearchWhere("XmppAccount", ["localpart"], local, "contains")
          : {},
      domain ? likeWhere("domain", domain, "prefix") : {},
    ],
  };
}

export async function accountListWhere(params: AccountListParams) {
  return {
    ...conditionsWhere(accountConditions(params)),
    ...(await accountSearchWhere(params)),
  };
}

const SEARCHED = ["localpart", "domain", "displayName"] as const;

// A plain search's count in one statement on SQLite (null elsewhere: count the where).
function searchCount(params: AccountListParams, cap: number) {
  const { q, domain } = splitAddress(params);
  if (!q || domain !== undefined) return null;
  return countTextMatches("XmppAccount", SEARCHED, q, params.match, accountConditions(params), cap);
}

export async function listAccounts(params: AccountListParams) {
  const filter = await accountListWhere(params);
  const page = await readListPage(params, {
    column: ACCOUNT_SORTS[params.sort],
    read: ({ where, ...page }) =>
      prisma.xmppAccount.findMany({
        ...page,
        where: { AND: [filter, where] },
        select: {
          id: true,
          localpart: true,
          domain: true,
          status: true,
          suspensionReasons: true,
          createdAt: true,
          customer: { select: { id: true, name: true } },
          server: { select: { id: true, name: true } },
        },
      }),
    sortValue: (r) =>
      params.sort === "address" ? r.localpart : params.sort === "status" ? r.status : r.createdAt,
    // A capped count reads its rows in some order; Prisma's default (by id) walks the table
    // and looks up each row's status (120 ms at 300,000), by (status, id) it stays in the index.
    count: (take) =>
      searchCount(params, take) ??
      prisma.xmppAccount
        .aggregate({
          where: filter,
          take,
          orderBy: params.reason
            ? [{ status: "asc" }, { suspensionReasons: "asc" }, { id: "asc" }]
            : [{ status: "asc" }, { id: "asc" }],
          _count: { _all: true },
        })
        .then((r) => r._count._all),
    countCap: params.q ? SEARCH_COUNT_CAP : undefined,
  });
  return { ...page, rows: page.rows.map(withReasons) };
}

// One account for its console page; null when missing or deleted.
export async function getAccountDetail(id: string) {
  const account = await prisma.xmppAccount.findUnique({
    where: { id },
    select: {
      id: true,
      localpart: true,
      domain: true,
      displayName: true,
      recoveryEmail: true,
      status: true,
      suspensionReasons: true,
      createdAt: true,
      customer: { select: { id: true, name: true } },
      server: { select: { id: true, name: true } },
    },
  });
  if (!account || account.status === "DELETED") return null;
  return withReasons(account);
}

// Password-reset links of an account that can still be used.
export function listOpenResetLinks(accountId: string) {
  return prisma.resetLink.findMany({
    where: { accountId, usedAt: null, revokedAt: null, expiresAt: { gt: now() } },
    orderBy: { createdAt: "desc" },
    select: { id: true, expiresAt: true, reason: true, createdBy: { select: { name: true } } },
  });
}

// The accounts of one customer (portal and the staff's read-only view of it), by address.
export async function listCustomerAccounts(customerId: string) {
  const rows = await prisma.xmppAccount.findMany({
    where: { customerId, status: { not: "DELETED" } },
    orderBy: { localpart: "asc" },
    select: {
      id: true,
      localpart: true,
      domain: true,
      status: true,
      suspensionReasons: true,
      recoveryEmail: true,
    },
  });
  return rows.map(withReasons);
}

// Accounts an invite can add contacts to: one customer's, or everyone's (capped) for staff.
export function listInvitableAccounts(scope: { customerId?: string } = {}) {
  return prisma.xmppAccount.findMany({
    where: {
      status: { in: ["ACTIVE", "SUSPENDED"] },
      ...(scope.customerId ? { customerId: scope.customerId } : {}),
    },
    orderBy: { localpart: "asc" },
    ...(scope.customerId ? {} : { take: 500 }),
    select: { id: true, localpart: true, domain: true, customer: { select: { name: true } } },
  });
}

export type LiveAccountState =
  | { state: "ok"; exists: boolean; suspended: boolean | null; sessions: number | null }
  | { state: "unreachable"; message: string };

// Asks the account's server, live: does it exist, is it suspended, how many sessions are online.
// Only counts, never client addresses. Gives up after timeoutMs; never throws for the server.
export async function getLiveAccountState(
  accountId: string,
  options: { timeoutMs: number },
): Promise<LiveAccountState> {
  const account = await prisma.xmppAccount.findUniqueOrThrow({
    where: { id: accountId },
    select: { localpart: true, server: { select: SERVER_RECORD_SELECT } },
  });
  let adapter: ReturnType<typeof createAdapter>;
  try {
    adapter = createAdapter(account.server, encryptionKey());
  } catch (error) {
    return { state: "unreachable", message: (error as Error).message };
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const seconds = options.timeoutMs / 1000;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`The server did not answer within ${seconds} seconds.`)),
      options.timeoutMs,
    );
  });
  const ask = async (): Promise<LiveAccountState> => {
    const exists = await adapter.accountExists(account.localpart);
    if (!exists) return { state: "ok", exists, suspended: null, sessions: null };
    const [suspended, sessions] = await Promise.all([
      adapter.isSuspended(account.localpart),
      adapter.countSessions(account.localpart),
    ]);
    return { state: "ok", exists, suspended, sessions };
  };
  try {
    return await Promise.race([ask(), timeout]);
  } catch (error) {
    return { state: "unreachable", message: (error as Error).message };
  } finally {
    clearTimeout(timer);
    await adapter.close().catch(() => undefined);
  }
}
