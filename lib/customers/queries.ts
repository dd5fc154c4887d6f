import { HOLDS_SEAT } from "@/lib/accounts/account-slot";
import { z } from "zod";
import { prisma } from "@/core/db";
import { CUSTOMER_STATUSES } from "@/lib/validation/customers";
import { SEARCH_COUNT_CAP, ZListBase, readListPage, type KeysetColumn } from "@/lib/tables/keyset";
import { conditionsWhere, createdConditions, type Condition } from "@/lib/tables/conditions";
import { countTextMatches, textSearchWhere } from "@/lib/tables/text-search";

// Reads of customers.

// The console's customer list (and, later, its CSV export): keyset pages over any filter, sort
// and search, in one function. Parse the URL's params with ZCustomerListParams first.
export const ZCustomerListParams = ZListBase.extend({
  status: z.enum(CUSTOMER_STATUSES).optional().catch(undefined),
  // A plan's id, or "none" for customers without one.
  plan: z.string().trim().min(1).max(64).optional().catch(undefined),
  sort: z.enum(["name", "created", "status"]).catch("created"),
});
export type CustomerListParams = z.infer<typeof ZCustomerListParams>;

export const CUSTOMER_SORTS = {
  name: { field: "name", kind: "value" },
  created: { field: "createdAt", kind: "value" },
  status: { field: "status", kind: "enum", type: "CustomerStatus", values: CUSTOMER_STATUSES },
} as const satisfies Record<CustomerListParams["sort"], KeysetColumn>;

// Everything but the search, as conditions (lib/tables/conditions.ts).
export function customerConditions(params: CustomerListParams): Condition[] {
  return [
    ...(params.status ? [{ field: "status", op: "eq" as const, value: params.status }] : []),
    ...(params.plan
      ? [{ field: "planId", op: "eq" as const, value: params.plan === "none" ? null : params.plan }]
      : []),
    ...createdConditions(params.from, params.to),
  ];
}

const SEARCHED = ["name", "contactEmail"] as const;

export async function customerListWhere(params: CustomerListParams) {
  const q = params.q?.trim();
  return {
    ...conditionsWhere(customerConditions(params)),
    ...(q ? await textSearchWhere("Customer", SEARCHED, q, params.match) : {}),
  };
}

export async function listCustomers(params: CustomerListParams) {
  const filter = await customerListWhere(params);
  const q = params.q?.trim();
  const conditions = customerConditions(params);
  const page = await readListPage(params, {
    column: CUSTOMER_SORTS[params.sort],
    read: ({ where, ...page }) =>
      prisma.customer.findMany({
        ...page,
        where: { AND: [filter, where] },
        select: {
          id: true,
          name: true,
          kind: true,
          contactEmail: true,
          status: true,
          createdAt: true,
          plan: { select: { id: true, name: true, seats: true } },
        },
      }),
    sortValue: (r) =>
      params.sort === "name" ? r.name : params.sort === "status" ? r.status : r.createdAt,
    count: (take) =>
      (q ? countTextMatches("Customer", SEARCHED, q, params.match, conditions, take) : null) ??
      prisma.customer.count({ where: filter, take }),
    countCap: q ? SEARCH_COUNT_CAP : undefined,
  });
  // Seats in use for this page's customers only: Prisma's relation _count would aggregate the
  // whole account table first (a quarter of a second at 300,000 accounts).
  const used = await prisma.xmppAccount.groupBy({
    by: ["customerId"],
    where: { customerId: { in: page.rows.map((r) => r.id) }, ...HOLDS_SEAT },
    _count: { _all: true },
  });
  const accountsOf = new Map(used.map((u) => [u.customerId, u._count._all]));
  return { ...page, rows: page.rows.map((r) => ({ ...r, accounts: accountsOf.get(r.id) ?? 0 })) };
}

export async function getCustomer(id: string) {
  // Counted apart: Prisma's relation _count groups the whole account, room and invite tables
  // before joining (340 ms at 300,000 accounts); these read one customer's index entries.
  const [customer, accounts, rooms, invites] = await Promise.all([
    prisma.customer.findUnique({
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
      },
    }),
    prisma.xmppAccount.count({ where: { customerId: id, ...HOLDS_SEAT } }),
    prisma.room.count({ where: { customerId: id } }),
    prisma.invite.count({ where: { customerId: id } }),
  ]);
  return customer ? { ...customer, _count: { accounts, rooms, invites } } : null;
}

export function countCustomers(): Promise<number> {
  return prisma.customer.count();
}

// Customers that can be given accounts, rooms ("open": not closed) or invites ("active"),
// by name: only those with a plan. A create form offers at most PICKER_LIMIT of them; beyond
// that it asks for the customer first (the list's customer filter), so no page reads 100,000
// names to fill one select.
export const PICKER_LIMIT = 200;

export async function listCustomersWithPlan(which: "open" | "active", customerId?: string) {
  const rows = await prisma.customer.findMany({
    where: {
      status: which === "active" ? "ACTIVE" : { not: "CLOSED" },
      planId: { not: null },
      ...(customerId ? { id: customerId } : {}),
    },
    orderBy: { name: "asc" },
    take: PICKER_LIMIT + 1,
    select: { id: true, name: true },
  });
  return { customers: rows.slice(0, PICKER_LIMIT), tooMany: rows.length > PICKER_LIMIT };
}
