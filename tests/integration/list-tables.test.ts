import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/core/db";
import { seedDatabase } from "@/bench/seed/seed-data";
import {
  ZCustomerListParams,
  customerListWhere,
  listCustomers,
  type CustomerListParams,
} from "@/lib/customers/queries";
import {
  ZAccountListParams,
  accountListWhere,
  listAccounts,
  type AccountListParams,
} from "@/lib/accounts/queries";
import { can } from "@/lib/auth/policy";
import { encodeCursor } from "@/lib/tables/keyset";
import { walk } from "../helpers/keyset-walk";

// The console's customer and account lists: keyset pages walk every matching row exactly once
// in both directions under each sort, filters and search give exactly the expected rows, and
// the URL's params are parsed into a valid view whatever they hold.

const N = 40;
const FIELD = {
  name: "name",
  address: "localpart",
  created: "createdAt",
  status: "status",
} as const;

beforeAll(async () => {
  await seedDatabase(prisma, { customers: N, seed: 3, chunkSize: 100 });
  // Known rows for search: a name and an address found by prefix and by substring.
  const plan = await prisma.plan.findFirstOrThrow();
  const server = await prisma.server.findFirstOrThrow();
  const c = await prisma.customer.create({
    data: { name: "Zebulon Quartz", contactEmail: "zq-owner@quartz.test", planId: plan.id },
  });
  await prisma.xmppAccount.create({
    data: {
      customerId: c.id,
      serverId: server.id,
      localpart: "zebulon.quartz",
      domain: server.domain,
      displayName: "Zeb",
      status: "ACTIVE",
    },
  });
  // And one held for billing, so the reason filter has something to find.
  await prisma.xmppAccount.create({
    data: {
      customerId: c.id,
      serverId: server.id,
      localpart: "yara.held",
      domain: server.domain,
      status: "SUSPENDED",
      suspensionReasons: JSON.stringify(["billing"]),
    },
  });
}, 120_000);

describe(`customer list (${process.env.PARLEY_TEST_DB})`, () => {
  const params = (raw: Record<string, string>) => ZCustomerListParams.parse(raw);

  // The database's own full ordering of the filter: what the pages must add up to.
  async function expected(p: CustomerListParams, dir: "asc" | "desc") {
    const field = FIELD[p.sort];
    const rows = await prisma.customer.findMany({
      where: await customerListWhere(p),
      orderBy: [{ [field]: dir }, { id: dir }],
      select: { id: true },
    });
    return rows.map((r) => r.id);
  }

  for (const sort of ["name", "created", "status"] as const) {
    for (const dir of ["asc", "desc"] as const) {
      it(`walks every row once both ways sorted by ${sort} ${dir}`, async () => {
        const p = params({ sort, dir, size: "25" });
        const all = await expected(p, dir);
        expect(all.length).toBe(N + 1);
        const { forward, backward, pages } = await walk((c) => listCustomers({ ...p, ...c }));
        expect(pages).toBe(Math.ceil((N + 1) / 25));
        expect(forward).toEqual(all);
        expect(backward).toEqual(all);
      });
    }
  }

  it("walks a filtered view (status, newest first) both ways", async () => {
    const p = params({ status: "ACTIVE", size: "25" });
    const all = await expected(p, "desc");
    expect(all.length).toBeGreaterThan(0);
    const { forward, backward } = await walk((c) => listCustomers({ ...p, ...c }));
    expect(forward).toEqual(all);
    expect(backward).toEqual(all);
  });

  it("filters by status, plan and created range exactly", async () => {
    const rows = await prisma.customer.findMany({
      select: { id: true, status: true, planId: true, createdAt: true },
    });
    const ids = async (raw: Record<string, string>) =>
      (await listCustomers(params({ ...raw, size: "100" }))).rows.map((r) => r.id).sort();
    const status = rows[0].status;
    expect(await ids({ status })).toEqual(
      rows
        .filter((r) => r.status === status)
        .map((r) => r.id)
        .sort(),
    );
    const planId = rows.find((r) => r.planId)!.planId!;
    expect(await ids({ plan: planId })).toEqual(
      rows
        .filter((r) => r.planId === planId)
        .map((r) => r.id)
        .sort(),
    );
    expect(await ids({ plan: "none" })).toEqual(
      rows
        .filter((r) => r.planId === null)
        .map((r) => r.id)
        .sort(),
    );
    const days = rows.map((r) => r.createdAt.toISOString().slice(0, 10)).sort();
    const from = days[Math.floor(days.length / 4)];
    const to = days[Math.floor((days.length * 3) / 4)];
    const inRange = rows
      .filter((r) => {
        const d = r.createdAt.toISOString().slice(0, 10);
        return d >= from && d <= to;
      })
      .map((r) => r.id)
      .sort();
    expect(inRange.length).toBeGreaterThan(0);
    expect(await ids({ from, to })).toEqual(inRange);
  });

  it("searches names and emails by prefix and by substring, any case", async () => {
    const names = async (raw: Record<string, string>) =>
      (await listCustomers(params(raw))).rows.map((r) => r.name);
    expect(await names({ q: "zebu", match: "prefix" })).toEqual(["Zebulon Quartz"]);
    expect(await names({ q: "ZEBU", match: "prefix" })).toEqual(["Zebulon Quartz"]);
    expect(await names({ q: "bulon", match: "prefix" })).toEqual([]);
    expect(await names({ q: "ulon qu", match: "contains" })).toEqual(["Zebulon Quartz"]);
    expect(await names({ q: "owner@quartz", match: "contains" })).toEqual(["Zebulon Quartz"]);
    expect(await names({ q: "zq-owner", match: "prefix" })).toEqual(["Zebulon Quartz"]);
  });

  it("counts exactly below the cap", async () => {
    const list = await listCustomers(params({ status: "ACTIVE" }));
    const active = await prisma.customer.count({ where: { status: "ACTIVE" } });
    expect(list.count).toEqual({ value: active, exact: true });
  });

  it("turns any URL into a valid view: bad values fall back, a tampered cursor is the first page", async () => {
    const p = params({ sort: "evil", dir: "sideways", size: "5000", status: "NOPE", from: "x" });
    expect(p).toMatchObject({ sort: "created", size: 25, match: "contains" });
    expect(p.status).toBeUndefined();
    expect(p.from).toBeUndefined();
    const first = await listCustomers(params({}));
    const tampered = await listCustomers(params({ after: "not-a-cursor" }));
    expect(tampered.rows.map((r) => r.id)).toEqual(first.rows.map((r) => r.id));
    const typed = await listCustomers(params({ after: encodeCursor("x", "y"), sort: "name" }));
    expect(typed.rows.length).toBeGreaterThanOrEqual(0);
  });
});

describe(`account list (${process.env.PARLEY_TEST_DB})`, () => {
  const params = (raw: Record<string, string>) => ZAccountListParams.parse(raw);
  async function expected(p: AccountListParams, dir: "asc" | "desc") {
    const field = FIELD[p.sort];
    const rows = await prisma.xmppAccount.findMany({
      where: await accountListWhere(p),
      orderBy: [{ [field]: dir }, { id: dir }],
      select: { id: true },
    });
    return rows.map((r) => r.id);
  }

  for (const sort of ["address", "created", "status"] as const) {
    for (const dir of ["asc", "desc"] as const) {
      it(`walks every listed account once both ways sorted by ${sort} ${dir}`, async () => {
        const p = params({ sort, dir, size: "50" });
        const all = await expected(p, dir);
        const listed = await prisma.xmppAccount.count({ where: { status: { not: "DELETED" } } });
        expect(all.length).toBe(listed);
        expect(listed).toBeGreaterThan(100);
        const { forward, backward } = await walk((c) => listAccounts({ ...p, ...c }));
        expect(new Set(forward).size).toBe(forward.length);
        expect(forward).toEqual(all);
        expect(backward).toEqual(all);
      });
    }
  }

  it("never lists deleted accounts, unless asked for no status at all", async () => {
    const deleted = await prisma.xmppAccount.findMany({
      where: { status: "DELETED" },
      select: { id: true },
    });
    const p = params({ size: "100" });
    const { forward } = await walk((c) => listAccounts({ ...p, ...c }));
    for (const d of deleted) expect(forward).not.toContain(d.id);
  });

  it("filters by status, server, customer, suspension reason and created range exactly", async () => {
    const rows = await prisma.xmppAccount.findMany({
      where: { status: { not: "DELETED" } },
      select: {
        id: true,
        status: true,
        serverId: true,
        customerId: true,
        suspensionReasons: true,
        createdAt: true,
      },
    });
    const ids = async (raw: Record<string, string>) => {
      const p = params({ ...raw, size: "100" });
      return (await walk((c) => listAccounts({ ...p, ...c }))).forward.sort();
    };
    const want = (keep: (r: (typeof rows)[number]) => boolean) =>
      rows
        .filter(keep)
        .map((r) => r.id)
        .sort();
    const suspended = want((r) => r.status === "SUSPENDED");
    expect(suspended.length).toBeGreaterThan(0);
    expect(await ids({ status: "SUSPENDED" })).toEqual(suspended);
    const serverId = rows[0].serverId;
    expect(await ids({ server: serverId })).toEqual(want((r) => r.serverId === serverId));
    const customerId = rows[rows.length - 1].customerId;
    expect(await ids({ customer: customerId })).toEqual(want((r) => r.customerId === customerId));
    const billing = want((r) => JSON.parse(r.suspensionReasons).includes("billing"));
    expect(billing.length).toBeGreaterThan(0);
    expect(await ids({ reason: "billing" })).toEqual(billing);
    const days = rows.map((r) => r.createdAt.toISOString().slice(0, 10)).sort();
    const from = days[Math.floor(days.length / 3)];
    const to = days[Math.floor((days.length * 2) / 3)];
    const range = want((r) => {
      const d = r.createdAt.toISOString().slice(0, 10);
      return d >= from && d <= to;
    });
    expect(range.length).toBeGreaterThan(0);
    expect(await ids({ from, to })).toEqual(range);
  });

  it("searches addresses and display names by prefix and by substring", async () => {
    const server = await prisma.server.findFirstOrThrow();
    const addresses = async (raw: Record<string, string>) =>
      (await listAccounts(params(raw))).rows.map((r) => `${r.localpart}@${r.domain}`);
    const jid = `zebulon.quartz@${server.domain}`;
    expect(await addresses({ q: "zebulon.q", match: "prefix" })).toEqual([jid]);
    expect(await addresses({ q: "on.quar", match: "contains" })).toEqual([jid]);
    expect(await addresses({ q: "on.quar", match: "prefix" })).toEqual([]);
    expect(await addresses({ q: jid.toUpperCase(), match: "prefix" })).toEqual([jid]);
    expect(await addresses({ q: "zeb", match: "prefix" })).toContain(jid);
  });
});

describe(`list scoping (${process.env.PARLEY_TEST_DB})`, () => {
  it("keeps both lists staff-only: support reads, only admins write, portal users neither", () => {
    const support = { id: "s", role: "SUPPORT", customerId: null } as const;
    const admin = { id: "a", role: "ADMIN", customerId: null } as const;
    const portal = { id: "p", role: "CUSTOMER", customerId: "c" } as const;
    for (const page of ["customers.read", "accounts.read"] as const) {
      expect(can(support as never, page)).toBe(true);
      expect(can(admin as never, page)).toBe(true);
      expect(can(portal as never, page)).toBe(false);
    }
  });
});
