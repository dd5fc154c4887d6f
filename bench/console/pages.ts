import type { DB } from "../../core/db";
import { encodeCursor } from "../../lib/tables/keyset";

// Every console page the benchmark requests, one line each: a list page and its variants
// (filtered, sorted, searched, deep) or a detail page. `path` returns null when the database
// has nothing to show (a detail page on an empty database). Pages that other work adds (portal
// users, bulk…) are one more line here; a page that answers 404 is reported as missing.
export type PageContext = {
  customerId?: string;
  accountId?: string;
  roomId?: string;
  serverId?: string;
  planId?: string;
  customerMid?: string;
  accountMid?: string;
};
export type Page = {
  name: string;
  kind: "list" | "detail";
  path: (c: PageContext) => string | null;
};

const list = (name: string, path: string | ((c: PageContext) => string | null)): Page => ({
  name,
  kind: "list",
  path: typeof path === "string" ? () => path : path,
});
const detail = (name: string, path: (c: PageContext) => string | null): Page => ({
  name,
  kind: "detail",
  path,
});
const at = (id: string | undefined, base: string) => (id ? `${base}/${id}` : null);

export const PAGES: Page[] = [
  list("dashboard", "/console"),
  list("customers", "/console/customers"),
  list("customers: status=SUSPENDED", "/console/customers?status=SUSPENDED"),
  list("customers: ACTIVE by name", "/console/customers?status=ACTIVE&sort=name"),
  list("customers: by name desc", "/console/customers?sort=name&dir=desc"),
  list("customers: prefix 'mar'", "/console/customers?q=mar&match=prefix"),
  list("customers: contains 'son'", "/console/customers?q=son&match=contains"),
  list("customers: contains, no match", "/console/customers?q=zzqx&match=contains"),
  list("customers: deep (cursor at 50%)", (c) =>
    c.customerMid ? `/console/customers?after=${c.customerMid}` : null,
  ),
  list("accounts", "/console/accounts"),
  list(
    "accounts: SUSPENDED+billing by address",
    "/console/accounts?status=SUSPENDED&reason=billing&sort=address",
  ),
  list("accounts: one server by status", (c) =>
    c.serverId ? `/console/accounts?server=${c.serverId}&sort=status` : null,
  ),
  list("accounts: by address", "/console/accounts?sort=address"),
  list("accounts: prefix 'mar'", "/console/accounts?q=mar&match=prefix"),
  list("accounts: contains 'son'", "/console/accounts?q=son&match=contains"),
  list("accounts: contains, no match", "/console/accounts?q=zzqx&match=contains"),
  list("accounts: deep (cursor at 50%)", (c) =>
    c.accountMid ? `/console/accounts?after=${c.accountMid}` : null,
  ),
  list("rooms", "/console/rooms"),
  list("rooms: status=ACTIVE", "/console/rooms?status=ACTIVE"),
  list("invites", "/console/invites"),
  list("invites: active", "/console/invites?status=active"),
  list("invites: revoked", "/console/invites?status=revoked"),
  list("invites: expiring soonest", "/console/invites?sort=expires&dir=asc"),
  list("jobs", "/console/jobs"),
  list("jobs: failed", "/console/jobs?status=FAILED"),
  list("audit", "/console/audit"),
  list("outbox", "/console/outbox"),
  list("portal users", "/console/portal-users"),
  list("servers", "/console/servers"),
  list("plans", "/console/plans"),
  detail("customer", (c) => at(c.customerId, "/console/customers")),
  detail("account", (c) => at(c.accountId, "/console/accounts")),
  detail("room", (c) => at(c.roomId, "/console/rooms")),
  detail("server", (c) => at(c.serverId, "/console/servers")),
  detail("plan", (c) => at(c.planId, "/console/plans")),
];

// Ids of rows in the middle of the data (not the newest, which caches favour), and the cursor
// of a page half-way down the newest-first lists.
export async function pageContext(db: DB): Promise<PageContext> {
  const [customers, accounts] = await Promise.all([
    db.customer.count(),
    db.xmppAccount.count({ where: { status: { not: "DELETED" } } }),
  ]);
  if (!customers) return {};
  const byNewest = [{ createdAt: "desc" as const }, { id: "desc" as const }];
  const customer = await db.customer.findFirstOrThrow({
    orderBy: byNewest,
    skip: Math.floor(customers / 2),
    select: { id: true, createdAt: true },
  });
  const account = await db.xmppAccount.findFirst({
    where: { status: { not: "DELETED" } },
    orderBy: byNewest,
    skip: Math.floor(accounts / 2),
    select: { id: true, createdAt: true },
  });
  const room = await db.room.findFirst({ where: { status: "ACTIVE" }, select: { id: true } });
  const server = await db.server.findFirst({ orderBy: { name: "asc" }, select: { id: true } });
  const plan = await db.plan.findFirst({ select: { id: true } });
  return {
    customerId: customer.id,
    customerMid: encodeCursor(customer.createdAt, customer.id),
    accountId: account?.id,
    accountMid: account ? encodeCursor(account.createdAt, account.id) : undefined,
    roomId: room?.id,
    serverId: server?.id,
    planId: plan?.id,
  };
}
