import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/core/db";
import { ZCustomerListParams, listCustomers } from "@/lib/customers/queries";
import { ZAccountListParams, listAccounts } from "@/lib/accounts/queries";
import { MAX_ID_LIST } from "@/lib/tables/text-search";
import { SEARCH_COUNT_CAP } from "@/lib/tables/keyset";

// Search gives the same rows on SQLite (trigram FTS5 index, LIKE below 3 characters) and on
// PostgreSQL (ILIKE): the expected ids below are written out, not computed by either database.
// Case folds, accents do not, and %, _ and " in a query are plain characters.

const DB = process.env.PARLEY_TEST_DB;
const CUSTOMERS = [
  ["José Marés", "jose@mares.test"],
  ["Jose Mares", "plain@mares.test"],
  ["ÉLODIE Roux", "elodie@roux.test"],
  ["100% Pure_Water", "sales@pure.test"],
  ['The "Quoted" Co', "quoted@co.test"],
  ["Marsh & Sons", "office@marsh.test"],
  ["Tomás Ferrer", "tf@ferrer.test"],
] as const;

let ids: Record<string, string> = {};

beforeAll(async () => {
  for (const [name, contactEmail] of CUSTOMERS) {
    const c = await prisma.customer.create({ data: { name, contactEmail } });
    ids[name] = c.id;
  }
  const server = await prisma.server.create({
    data: { name: "s1", kind: "EJABBERD", domain: "chat.example", apiUrl: "http://127.0.0.1:1" },
  });
  const customerId = ids["Marsh & Sons"];
  for (const [localpart, displayName, status] of [
    ["marsh.office", "Front Desk", "ACTIVE"],
    ["amarsh", "Ann Marsh", "SUSPENDED"],
    ["gone.marsh", "", "DELETED"],
    ["pct_user", "50% off", "ACTIVE"],
  ] as const) {
    const a = await prisma.xmppAccount.create({
      data: {
        customerId,
        serverId: server.id,
        localpart,
        domain: "chat.example",
        displayName,
        status,
      },
    });
    ids[localpart] = a.id;
  }
  ids = { ...ids };
}, 60_000);

// The rows a search lists; its count (a statement of its own) must agree with them.
async function customers(q: string, match: "prefix" | "contains") {
  const page = await listCustomers(ZCustomerListParams.parse({ q, match, sort: "name" }));
  expect(page.count, `count of ${q}`).toEqual({ value: page.rows.length, exact: true });
  return page.rows.map((r) => r.name);
}
async function accounts(q: string, match: "prefix" | "contains") {
  const page = await listAccounts(ZAccountListParams.parse({ q, match, sort: "address" }));
  expect(page.count, `count of ${q}`).toEqual({ value: page.rows.length, exact: true });
  return page.rows.map((r) => r.localpart);
}

describe(`text search (${DB})`, () => {
  it.each([
    ["mar", "prefix", ["Marsh & Sons"]],
    ["MAR", "contains", ["Jose Mares", "José Marés", "Marsh & Sons"]],
    ["marés", "contains", ["José Marés"]],
    ["mares", "contains", ["Jose Mares", "José Marés"]], // e-mails hold "mares"
    ["josé", "prefix", ["José Marés"]],
    ["jose", "prefix", ["Jose Mares", "José Marés"]], // the e-mail jose@ starts with it
    ["0% p", "contains", ["100% Pure_Water"]],
    ["%", "contains", ["100% Pure_Water"]],
    ["100%", "prefix", ["100% Pure_Water"]],
    ["100_", "prefix", []],
    ["%", "prefix", []],
    ["e_w", "contains", ["100% Pure_Water"]],
    ["_", "contains", ["100% Pure_Water"]],
    ['"quoted"', "contains", ['The "Quoted" Co']],
    ['"', "contains", ['The "Quoted" Co']],
    ["ferrer.t", "contains", ["Tomás Ferrer"]],
    ["zzqx", "contains", []],
    ["ro", "prefix", []],
    ["ro", "contains", ["ÉLODIE Roux"]],
    ["élodie", "contains", ["ÉLODIE Roux"]],
    ["ÉLO", "prefix", ["ÉLODIE Roux"]],
    ["tomas", "contains", []],
  ] as const)("customers %j (%s)", async (q, match, expected) => {
    expect(await customers(q, match)).toEqual(expected);
  });

  it.each([
    ["marsh", "prefix", ["marsh.office"]],
    ["MARSH", "contains", ["amarsh", "marsh.office"]],
    ["front d", "contains", ["marsh.office"]],
    ["chat.exa", "prefix", ["amarsh", "marsh.office", "pct_user"]],
    ["t_u", "contains", ["pct_user"]],
    ["0%", "contains", ["pct_user"]],
    ["amarsh@chat", "prefix", ["amarsh"]],
    ["PCT_", "prefix", ["pct_user"]],
    ["pct%", "prefix", []],
    ["arsh@chat.example", "contains", ["amarsh", "marsh.office"]],
  ] as const)("accounts %j (%s), deleted ones never", async (q, match, expected) => {
    expect(await accounts(q, match)).toEqual(expected);
  });

  it("keeps the index in step with inserts, renames and deletes", async () => {
    const c = await prisma.customer.create({
      data: { name: "Quillon Ltd", contactEmail: "q@q.test" },
    });
    expect(await customers("quillon", "contains")).toEqual(["Quillon Ltd"]);
    await prisma.customer.update({ where: { id: c.id }, data: { name: "Vexor Ltd" } });
    expect(await customers("quillon", "contains")).toEqual([]);
    expect(await customers("vexor", "prefix")).toEqual(["Vexor Ltd"]);
    await prisma.customer.delete({ where: { id: c.id } });
    expect(await customers("vexor", "prefix")).toEqual([]);
  });

  it("gives the right page and a capped count when more rows match than an id list holds", async () => {
    // MAX_ID_LIST + 5 customers: the first MAX_ID_LIST named "a…", the last five "b…".
    const names = Array.from({ length: MAX_ID_LIST + 5 }, (_, i) => ({
      name: `Densely ${i < MAX_ID_LIST ? "a" : "b"}${String(i).padStart(5, "0")}`,
      contactEmail: `d${i}@dense.test`,
    }));
    for (let i = 0; i < names.length; i += 2_000)
      await prisma.customer.createMany({ data: names.slice(i, i + 2_000) });
    // One match too many for an id list (a LIKE filter on SQLite), and exactly the longest id
    // list; a search's count stops at the same number.
    expect(MAX_ID_LIST).toBe(SEARCH_COUNT_CAP);
    for (const [q, exact] of [
      ["ensely", false],
      ["DENSELY", false],
      ["ensely a", true],
    ] as const) {
      const page = await listCustomers(ZCustomerListParams.parse({ q, sort: "name" }));
      expect(page.count, q).toEqual({ value: SEARCH_COUNT_CAP, exact });
      expect(page.rows.map((r) => r.name)).toEqual(names.slice(0, 25).map((n) => n.name));
    }
    const few = await listCustomers(ZCustomerListParams.parse({ q: "ely b", sort: "name" }));
    expect(few.count).toEqual({ value: 5, exact: true });
    expect(few.rows.map((r) => r.name)).toEqual(names.slice(-5).map((n) => n.name));
    await prisma.customer.deleteMany({ where: { contactEmail: { endsWith: "@dense.test" } } });
  }, 60_000);

  it.runIf(DB === "sqlite")("has its triggers and agrees with the tables", async () => {
    const triggers = await prisma.$queryRawUnsafe<{ name: string }[]>(
      `SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%_search_%' ORDER BY name`,
    );
    expect(triggers.map((t) => t.name)).toEqual([
      "Customer_search_delete",
      "Customer_search_insert",
      "Customer_search_update",
      "XmppAccount_search_delete",
      "XmppAccount_search_insert",
      "XmppAccount_search_update",
    ]);
    // Throws when an index lost rows or rowids (a migration that redefined the table).
    for (const t of ["CustomerSearch", "XmppAccountSearch"])
      await prisma.$executeRawUnsafe(
        `INSERT INTO "${t}"("${t}", rank) VALUES ('integrity-check', 1)`,
      );
  });
});
