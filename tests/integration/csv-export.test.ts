import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "csv-parse/sync";
import { prisma } from "@/core/db";
import { seedDatabase } from "@/bench/seed/seed-data";
import { ZCustomerListParams, customerListWhere } from "@/lib/customers/queries";
import { ZAccountListParams, accountListWhere } from "@/lib/accounts/queries";
import { ZRoomListParams, listRooms } from "@/lib/rooms/queries";
import { ZInviteListParams, listInvites } from "@/lib/invites/queries";
import { ZJobListParams, listJobs } from "@/lib/jobs/queries";
import { ZAuditListParams, listAuditEvents } from "@/lib/audit/queries";
import { ZPortalUserListParams, listPortalUsers } from "@/lib/users/queries";
import { ZOutboxListParams, listOutboxEmails } from "@/lib/notifications/queries";
import { csvCell, csvLines } from "@/lib/tables/csv-export";
import { CSV_TABLES, exportTable, type CsvTableName } from "@/lib/tables/csv-tables";
import type { KeysetColumn } from "@/lib/tables/keyset";
import { GET } from "@/app/(console)/console/export/[table]/route";
import { actAs } from "../helpers/session-shim";
import { createWorld, type Actor, type World } from "../helpers/fixtures";

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

async function exported(
  name: CsvTableName,
  params: Record<string, string>,
  batchSize = 97,
  viewer: Actor = w.admin,
) {
  const stream = exportTable(name, params, viewer, { batchSize });
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

// The other console lists, each through its own list query: the export is every page of it.
type Listed = { rows: { id: string }[]; next: string | null };
type ListName = Exclude<CsvTableName, "customers" | "accounts">;
const LISTS: Record<ListName, (raw: Record<string, string>, viewer: Actor) => Promise<Listed>> = {
  rooms: (raw) => listRooms(ZRoomListParams.parse(raw)),
  invites: (raw) => listInvites(ZInviteListParams.parse(raw)),
  jobs: (raw, viewer) => listJobs(viewer, ZJobListParams.parse(raw)),
  audit: (raw, viewer) => listAuditEvents(viewer, ZAuditListParams.parse(raw)),
  "portal-users": (raw) => listPortalUsers(ZPortalUserListParams.parse(raw)),
  outbox: (raw) => listOutboxEmails(ZOutboxListParams.parse(raw)),
};

async function listedIds(name: ListName, raw: Record<string, string>, viewer: Actor) {
  const ids: string[] = [];
  let after: string | undefined;
  do {
    const page = await LISTS[name]({ ...raw, size: "100", ...(after ? { after } : {}) }, viewer);
    ids.push(...page.rows.map((r) => r.id));
    after = page.next ?? undefined;
  } while (after);
  return ids;
}

// A nullable sort (expiry, last sign-in) is exported in id order (lib/tables/csv-export.ts).
function nullableSort(name: ListName, raw: Record<string, string>) {
  const table = CSV_TABLES[name];
  const { sort } = table.params.parse(raw) as { sort: string };
  return (table.sorts as Record<string, KeysetColumn>)[sort].kind === "nullable";
}

const HEADERS: Record<ListName, string> = {
  rooms: "id,address,name,domain,title,status,customerId,customer,server,members,createdAt",
  invites:
    "id,kind,status,customerId,customer,server,localpart,note,uses,maxUses,joined,createdBy,createdAt,expiresAt,revokedAt",
  jobs: "id,type,status,attempts,maxAttempts,subjectId,customerId,serverId,createdAt,runAt,finishedAt,lastError",
  audit: "id,at,actor,action,targetType,targetId,customerId,reason,details",
  "portal-users": "id,name,email,customerId,customer,state,twoFactor,lastLoginAt,createdAt",
  outbox: "id,to,subject,status,attempts,error,nextTryAt,sentAt,createdAt,body",
};

const headerOf = (text: string) => text.slice(1, text.indexOf("\r\n"));

describe("every other console list exports exactly the rows its list pages through", () => {
  const cases: [ListName, Record<string, string>, ("support" | "admin")?][] = [
    ["rooms", {}],
    ["rooms", { sort: "address" }],
    ["rooms", { sort: "status", dir: "desc" }],
    ["rooms", { status: "ACTIVE", sort: "address", dir: "desc" }],
    ["rooms", { q: "a", match: "contains" }],
    ["invites", {}],
    ["invites", { status: "active" }],
    ["invites", { status: "used", kind: "ACCOUNT" }],
    ["invites", { sort: "expires" }],
    ["invites", { status: "expired", sort: "expires", dir: "desc" }],
    ["jobs", {}],
    ["jobs", {}, "support"],
    ["jobs", { status: "FAILED" }],
    ["jobs", { type: "account" }],
    ["jobs", { sort: "runAt" }],
    ["audit", {}, "support"],
    ["audit", { action: "customer." }],
    ["audit", { action: "customer." }, "support"],
    ["audit", { target: "xmppAccount" }],
    ["portal-users", {}],
    ["portal-users", { sort: "name" }],
    ["portal-users", { sort: "login" }],
    ["portal-users", { state: "active", sort: "email", dir: "desc" }],
    ["portal-users", { q: "a", match: "prefix" }],
    ["outbox", {}],
    ["outbox", { status: "sent" }],
    ["outbox", { status: "failed" }],
    ["outbox", { q: "reset", match: "contains" }],
  ];
  for (const [name, params, who = "admin"] of cases) {
    it(`${name} ${JSON.stringify(params)} as ${who}`, async () => {
      const viewer = who === "support" ? w.support : w.admin;
      // The list first: an export adds its own audit row when it ends.
      const expected = await listedIds(name, params, viewer);
      const text = await exported(name, params, 97, viewer);
      expect(headerOf(text)).toBe(HEADERS[name]);
      const ids = rowsOf(text).map((r) => r.id);
      expect(expected.length).toBeGreaterThan(0);
      if (nullableSort(name, params)) expect([...ids].sort()).toEqual([...expected].sort());
      else expect(ids).toEqual(expected);
    });
  }

  it("leaves billing jobs and billing audit events out for support", async () => {
    const billing = /^(billing\.|customer\.billing_|plan\.)/;
    const column = async (name: ListName, field: string, viewer: Actor) =>
      rowsOf(await exported(name, {}, 1000, viewer)).map((r) => r[field]);
    expect(await column("jobs", "type", w.admin)).toContain("billing.tick");
    const jobs = await column("jobs", "type", w.support);
    expect(jobs.length).toBeGreaterThan(0);
    expect(jobs).not.toContain("billing.tick");
    expect((await column("audit", "action", w.admin)).some((a) => billing.test(a))).toBe(true);
    const events = await column("audit", "action", w.support);
    expect(events.length).toBeGreaterThan(0);
    expect(events.filter((a) => billing.test(a))).toEqual([]);
  });
});

describe("exports never carry secrets", () => {
  beforeAll(async () => {
    await prisma.user.update({
      where: { id: w.customerUser.id },
      data: { totpSecretEnc: "TOTP-SECRET-MARKER", totpEnabledAt: new Date() },
    });
    await prisma.recoveryCode.create({
      data: { userId: w.customerUser.id, codeHash: "RECOVERY-HASH-MARKER" },
    });
    const invite = await prisma.invite.create({
      data: {
        tokenHash: "TOKEN-HASH-MARKER",
        kind: "ACCOUNT",
        customerId: w.customerId,
        createdById: w.admin.id,
        uses: 1,
        maxUses: 2,
        note: "Secret-free invite",
      },
    });
    await prisma.inviteUse.create({
      data: { inviteId: invite.id, accountId: w.accountId, receiptHash: "RECEIPT-HASH-MARKER" },
    });
    await prisma.job.create({
      data: {
        type: "account.password",
        payload: { marker: "PAYLOAD-MARKER" },
        secretEnc: "SECRET-MARKER",
        result: { marker: "RESULT-MARKER" },
        status: "FAILED",
        customerId: w.customerId,
      },
    });
    await prisma.outboxEmail.create({
      data: {
        to: "sealed@parley.test",
        subject: "Your link",
        text: "https://parley.test/welcome/[one-time link, not stored]",
        sealedText: "SEALED-BODY-MARKER",
        sealedUntil: new Date(Date.now() + 3_600_000),
        transport: "outbox",
      },
    });
  });

  it("exports invites without token or receipt hashes", async () => {
    const text = await exported("invites", {}, 1000);
    const hashes = await prisma.invite.findMany({ select: { tokenHash: true } });
    const receipts = await prisma.inviteUse.findMany({ select: { receiptHash: true } });
    expect(hashes.length).toBeGreaterThan(500);
    for (const h of [...hashes.map((i) => i.tokenHash), ...receipts.map((u) => u.receiptHash)])
      expect(text).not.toContain(h);
    expect(headerOf(text)).not.toMatch(/token|hash|receipt/i);
    const mine = rowsOf(text).find((r) => r.note === "Secret-free invite");
    const account = await prisma.xmppAccount.findUniqueOrThrow({ where: { id: w.accountId } });
    const admin = await prisma.user.findUniqueOrThrow({ where: { id: w.admin.id } });
    expect(mine).toMatchObject({
      status: "active",
      uses: "1",
      maxUses: "2",
      joined: `${account.localpart}@${account.domain}`,
      createdBy: admin.name,
      server: "customer's default",
    });
  });

  it("exports portal users without password hashes, TOTP secrets or recovery codes", async () => {
    const text = await exported("portal-users", {}, 1000);
    const users = await prisma.user.findMany({ select: { passwordHash: true } });
    for (const u of users) expect(text).not.toContain(u.passwordHash);
    expect(text).not.toMatch(/TOTP-SECRET-MARKER|RECOVERY-HASH-MARKER/);
    expect(headerOf(text)).not.toMatch(/password|secret|totp|recovery/i);
    const me = rowsOf(text).find((r) => r.id === w.customerUser.id);
    expect(me).toMatchObject({ email: w.customerUser.email, twoFactor: "true", state: "active" });
    expect(rowsOf(text).map((r) => r.id)).not.toContain(w.admin.id);
  });

  it("exports jobs without payload, result or secret, and emails without the sealed body", async () => {
    const jobs = await exported("jobs", { customer: w.customerId });
    expect(rowsOf(jobs).map((r) => r.type)).toContain("account.password");
    expect(jobs).not.toMatch(/PAYLOAD-MARKER|RESULT-MARKER|SECRET-MARKER/);
    const outbox = await exported("outbox", { q: "sealed@parley.test" });
    expect(rowsOf(outbox)).toMatchObject([{ to: "sealed@parley.test", status: "kept" }]);
    expect(outbox).not.toContain("SEALED-BODY-MARKER");
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

  it("asks each new table's list permission: support may not read the outbox", async () => {
    actAs(w.support);
    const jobs = await call("jobs");
    expect(jobs.status).toBe(200);
    expect(await jobs.text()).not.toContain("billing.tick");
    expect((await call("outbox")).status).toBe(403);
    expect((await call("portal-users", "?state=active")).status).toBe(200);
    actAs(w.customerUser);
    for (const table of ["rooms", "invites", "jobs", "audit", "portal-users", "outbox"])
      expect((await call(table)).status).toBe(403);
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
