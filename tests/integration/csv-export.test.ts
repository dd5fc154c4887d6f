import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "csv-parse/sync";
import { prisma } from "@/core/db";
import { seedDatabase } from "@/bench/seed/seed-data";
import { ZCustomerListParams, customerListWhere } from "@/lib/customers/queries";
import { ZAccountListParams, accountListWhere } from "@/lib/accounts/queries";
import { csvCell, csvLines } from "@/lib/tables/csv-export";
import { exportTable, type CsvTableName } from "@/lib/tables/csv-tables";
import { GET } from "@/app/(console)/console/export/[table]/route";
import { actAs } from "../helpers/session-shim";
import { createWorld, type World } from "../helpers/fixtures";

// CSV export of the console lists: every matching row once, in the list's order, across
// batches; the list's filters; RFC 4180 quoting and formula neutralising; billing columns and
// refusals by role; an audit row without addresses.

let w: World;
const TRICKY = {
  name: '=HYPERLINK("http://evil.test","x")',
  notes: 'comma, "quote"\r\nsecond line',
};

beforeAll(async () => {
  await seedDatabase(prisma, { customers: 1050, seed: 7, chunkSize: 500 });
  w = await createWorld();
  await prisma.customer.create({
    data: {
      ...TRICKY,
      contactEmail: "tricky@parley.test",
      status: "SUSPENDED",
      stripeCustomerId: "cus_SECRET123",
    },
  });
}, 120_000);

const rowsOf = (text: string) =>
  parse(text, { bom: true, columns: true }) as Record<string, string>[];

async function exported(name: CsvTableName, params: Record<string, string>, batchSize = 97) {
  const stream = exportTable(name, params, { ...w.admin, role: "ADMIN" }, { batchSize });
  // Keeping the byte-order mark, which Response.text() drops.
  const bytes = await new Response(stream).arrayBuffer();
  return new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
}

async function expectedIds(name: CsvTableName, raw: Record<string, string>) {
  const orderFor = (field: string, dir: "asc" | "desc") => [{ [field]: dir }, { id: dir }];
  if (name === "customers") {
    const p = ZCustomerListParams.parse(raw);
    const field = { name: "name", created: "createdAt", status: "status" }[p.sort];
    const dir = p.dir ?? (p.sort === "created" ? "desc" : "asc");
    const rows = await prisma.customer.findMany({
      where: await customerListWhere(p),
      orderBy: orderFor(field, dir),
      select: { id: true },
    });
    return rows.map((r) => r.id);
  }
  const p = ZAccountListParams.parse(raw);
  const field = { address: "localpart", created: "createdAt", status: "status" }[p.sort];
  const dir = p.dir ?? (p.sort === "created" ? "desc" : "asc");
  const rows = await prisma.xmppAccount.findMany({
    where: await accountListWhere(p),
    orderBy: orderFor(field, dir),
    select: { id: true },
  });
  return rows.map((r) => r.id);
}

describe("export streams every matching row in the list's order", () => {
  const cases: [CsvTableName, Record<string, string>][] = [
    ["customers", {}],
    ["customers", { sort: "name" }],
    ["customers", { sort: "status", dir: "desc" }],
    ["customers", { status: "ACTIVE", sort: "name", dir: "desc" }],
    ["customers", { q: "a", match: "contains", sort: "created", dir: "asc" }],
    ["accounts", {}],
    ["accounts", { sort: "address" }],
    ["accounts", { sort: "status" }],
    ["accounts", { status: "SUSPENDED" }],
    ["accounts", { q: "a", match: "prefix", sort: "address", dir: "desc" }],
  ];
  for (const [name, params] of cases) {
    it(`${name} ${JSON.stringify(params)}`, async () => {
      const ids = rowsOf(await exported(name, params)).map((r) => r.id);
      const expected = await expectedIds(name, params);
      expect(expected.length).toBeGreaterThan(0);
      expect(ids).toEqual(expected);
    });
  }

  it("reads full-size batches of 1,000 (more keys than one SQLite statement may bind)", async () => {
    const params = { sort: "name" };
    const ids = rowsOf(await exported("customers", params, 1000)).map((r) => r.id);
    expect(ids.length).toBeGreaterThan(1000);
    expect(ids).toEqual(await expectedIds("customers", params));
  });

  it("fills the plan, seat and account columns, and an account's customer and server", async () => {
    const a = await prisma.customer.findUniqueOrThrow({
      where: { id: w.customerId },
      select: { contactEmail: true, plan: { select: { name: true } } },
    });
    const [row] = rowsOf(await exported("customers", { q: a.contactEmail }));
    expect([row.plan, row.seats, row.accounts]).toEqual([a.plan!.name, "5", "1"]);
    const [account] = rowsOf(await exported("accounts", { customer: w.customerId }));
    const server = await prisma.server.findUniqueOrThrow({ where: { id: w.serverId } });
    expect([account.customerId, account.server]).toEqual([w.customerId, server.name]);
    expect(account.customer).toMatch(/^Customer A /);
  });

  it("ignores the page cursor and size: an export is the whole list", async () => {
    const all = rowsOf(await exported("customers", { sort: "name" }));
    const paged = rowsOf(await exported("customers", { sort: "name", size: "25", after: "x" }));
    expect(paged.map((r) => r.id)).toEqual(all.map((r) => r.id));
  });

  it("honours a server and a customer filter on accounts", async () => {
    const server = await prisma.server.findFirstOrThrow({ where: { accounts: { some: {} } } });
    const rows = rowsOf(await exported("accounts", { server: server.id }));
    expect(rows.length).toBe(
      await prisma.xmppAccount.count({
        where: { serverId: server.id, status: { not: "DELETED" } },
      }),
    );
    expect(new Set(rows.map((r) => r.server))).toEqual(new Set([server.name]));
    const mine = rowsOf(await exported("accounts", { customer: w.customerId }));
    expect(mine.map((r) => r.customerId)).toEqual([w.customerId]);
  });
});

describe("CSV encoding", () => {
  it("quotes per RFC 4180 and neutralises formulas", async () => {
    const text = await exported("customers", { q: "tricky@", match: "contains" });
    expect(text.startsWith("\uFEFFid,name,")).toBe(true);
    expect(text).toContain('"\'=HYPERLINK(""http://evil.test"",""x"")"');
    expect(text).toContain('"comma, ""quote""\r\nsecond line"');
    expect(text.endsWith("\r\n")).toBe(true);
    const [row] = rowsOf(text);
    expect(row.name).toBe(`'${TRICKY.name}`);
    expect(row.notes).toBe(TRICKY.notes);
  });

  it("prefixes every formula start and leaves plain values and numbers alone", () => {
    for (const start of ["=", "+", "-", "@", "\t", "\r"])
      expect(csvCell(`${start}1`)).toBe(`'${start}1`);
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell(-5)).toBe("-5");
    expect(csvCell(null)).toBe("");
    expect(csvLines([["a\nb", "x"]])).toBe('"a\nb",x\r\n');
  });
});

describe("the export route", () => {
  const call = (table: string, query = "") =>
    GET(new Request(`http://parley.test/console/export/${table}${query}`), {
      params: Promise.resolve({ table }),
    });

  it("gives admins the billing columns and a dated file name", async () => {
    actAs(w.admin);
    const res = await call("customers", "?q=tricky%40&status=SUSPENDED");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const date = new Date().toISOString().slice(0, 10);
    expect(res.headers.get("content-disposition")).toBe(
      `attachment; filename="parley-customers-${date}.csv"`,
    );
    const rows = rowsOf(await res.text());
    expect(rows).toHaveLength(1);
    expect(rows[0].stripeCustomerId).toBe("cus_SECRET123");
  });

  it("leaves billing out for support, and audits the export without addresses", async () => {
    actAs(w.support);
    const res = await call("customers", "?q=tricky%40");
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toMatch(/stripeCustomerId|subscription|price|cus_SECRET/);
    expect(rowsOf(text)).toHaveLength(1);
    const audit = await prisma.auditEvent.findFirstOrThrow({
      where: { action: "table.exported", actorId: w.support.id },
      orderBy: { at: "desc" },
    });
    expect(audit.targetId).toBe("customers");
    expect(audit.details).toMatchObject({
      table: "customers",
      filter: { q: "tricky@", match: "contains", sort: "created" },
      rows: 1,
      complete: true,
    });
    expect(JSON.stringify(audit)).not.toMatch(/\b\d{1,3}(\.\d{1,3}){3}\b|::1/);
  });

  it("refuses portal users and visitors, and names no table that does not exist", async () => {
    actAs(w.customerUser);
    expect((await call("customers")).status).toBe(403);
    expect((await call("accounts")).status).toBe(403);
    actAs(null);
    expect((await call("accounts")).status).toBe(401);
    expect((await call("nothing")).status).toBe(401);
    actAs(w.admin);
    expect((await call("nothing")).status).toBe(404);
    expect((await call("__proto__")).status).toBe(404);
  });
});
