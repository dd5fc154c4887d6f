import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/core/db";
import { ZAccountListParams, accountConditions, listAccounts } from "@/lib/accounts/queries";
import { ZCustomerListParams, customerConditions, listCustomers } from "@/lib/customers/queries";
import { conditionsWhere } from "@/lib/tables/conditions";
import { textMatch } from "@/lib/tables/keyset";

// A search's count is one SQL statement on both databases (SQLite: the FTS5 match joined to
// the table; PostgreSQL: ILIKE over the trigram indexes), with the list's filters rendered
// from the same conditions as the Prisma where. It must equal Prisma's count of those filters
// with a plain LIKE, for every filter the lists offer, on rows spread over statuses, reasons,
// servers, customers, plans and days.

const DAY = 86_400_000;
const base = Date.UTC(2025, 5, 10);
let plan = "";
let servers: string[] = [];
const customers: string[] = [];

beforeAll(async () => {
  plan = (
    await prisma.plan.create({
      data: { name: "Count plan", seats: 9, rooms: 1, retentionDays: 30 },
    })
  ).id;
  servers = await Promise.all(
    ["count-a", "count-b"].map(async (name) => {
      const s = await prisma.server.create({
        data: { name, kind: "EJABBERD", domain: `${name}.test`, apiUrl: "http://127.0.0.1:1" },
      });
      return s.id;
    }),
  );
  const statuses = ["ACTIVE", "PAST_DUE", "SUSPENDED", "CLOSED"] as const;
  for (let i = 0; i < 24; i++) {
    const c = await prisma.customer.create({
      data: {
        name: i % 3 ? `Hollow ${i}` : `Plainname ${i}`,
        contactEmail: `c${i}@${i % 2 ? "hollowmail" : "other"}.test`,
        status: statuses[i % 4],
        planId: i % 5 ? plan : null,
        createdAt: new Date(base + (i % 6) * DAY + 1),
      },
    });
    customers.push(c.id);
  }
  const accountStatuses = ["ACTIVE", "SUSPENDED", "DELETED", "FAILED"] as const;
  const reasons = ['["billing"]', '["abuse","billing"]', '["abuse"]', "[]"];
  for (let i = 0; i < 60; i++) {
    await prisma.xmppAccount.create({
      data: {
        customerId: customers[i % customers.length],
        serverId: servers[i % 2],
        localpart: i % 3 ? `hollow${i}` : `user${i}`,
        domain: i % 2 ? "count-b.test" : "count-a.test",
        displayName: i % 4 === 0 ? "The Hollow Man" : "",
        status: accountStatuses[i % 4],
        suspensionReasons: reasons[i % 4],
        createdAt: new Date(base + (i % 7) * DAY),
      },
    });
  }
}, 60_000);

const contains = (q: string) => textMatch(q, "contains");
const likeCount = {
  accounts: (p: ReturnType<typeof ZAccountListParams.parse>) =>
    prisma.xmppAccount.count({
      where: {
        ...conditionsWhere(accountConditions(p)),
        OR: [
          { localpart: contains(p.q!) },
          { domain: contains(p.q!) },
          { displayName: contains(p.q!) },
        ],
      },
    }),
  customers: (p: ReturnType<typeof ZCustomerListParams.parse>) =>
    prisma.customer.count({
      where: {
        ...conditionsWhere(customerConditions(p)),
        OR: [{ name: contains(p.q!) }, { contactEmail: contains(p.q!) }],
      },
    }),
};

describe("search counts", () => {
  it.each([
    {},
    { status: "SUSPENDED" },
    { status: "DELETED" },
    { server: "0" },
    { customer: "0" },
    { reason: "billing" },
    { status: "SUSPENDED", reason: "abuse", server: "1" },
    { from: "2025-06-11", to: "2025-06-13" },
    { from: "2025-06-14" },
    { to: "2025-06-10" },
  ])("accounts matching 'hollow' with %j", async (filter) => {
    const raw = {
      q: "hollow",
      ...filter,
      ...("server" in filter ? { server: servers[Number(filter.server)] } : {}),
      ...("customer" in filter ? { customer: customers[Number(filter.customer)] } : {}),
    };
    const p = ZAccountListParams.parse(raw);
    const expected = await likeCount.accounts(p);
    const page = await listAccounts(p);
    expect(page.count).toEqual({ value: expected, exact: true });
  });

  it.each([
    {},
    { status: "CLOSED" },
    { plan: "mine" },
    { plan: "none" },
    { status: "ACTIVE", plan: "mine", from: "2025-06-11" },
    { from: "2025-06-12", to: "2025-06-12" },
  ])("customers matching 'hollow' with %j", async (filter) => {
    const p = ZCustomerListParams.parse({
      q: "hollow",
      ...filter,
      ...("plan" in filter && filter.plan === "mine" ? { plan } : {}),
    });
    const expected = await likeCount.customers(p);
    const page = await listCustomers(p);
    expect(page.count).toEqual({ value: expected, exact: true });
  });

  it("finds different numbers for different filters, so the comparisons above can fail", async () => {
    const counts = await Promise.all(
      [{}, { status: "SUSPENDED" }, { reason: "billing" }, { from: "2025-06-14" }].map(
        async (f) =>
          (await listAccounts(ZAccountListParams.parse({ q: "hollow", ...f }))).count.value,
      ),
    );
    expect(new Set(counts).size).toBe(4);
    expect(Math.min(...counts)).toBeGreaterThan(0);
  });
});
