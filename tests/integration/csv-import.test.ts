import { beforeAll, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { prisma } from "@/core/db";
import {
  applyImportRows,
  createImportBatch,
  discardImportBatch,
  getImportBatch,
  importBatchRows,
} from "@/lib/imports/batches";
import { importBatchNow } from "@/tests/helpers/import-now";
import { startImport } from "@/lib/bulk/start-import";
import { importTemplate } from "@/lib/imports/registry";
import type { ImportActor, ImportKind, RowOutcome } from "@/lib/imports/types";
import { Worker } from "@/provisioning/queue/worker";
import { enqueue, jobDefinitions } from "@/lib/jobs/job-types";
import { housekeepingJobs } from "@/lib/housekeeping/jobs";
import { createUser, createWorld, type World } from "../helpers/fixtures";

// CSV import: every row checked before anything is written, a per-row report, the operator's
// choice (the valid rows or nothing), re-uploads that create nothing twice, parallel imports of
// one batch that create each row once, and the plan's seats.

let w: World;
let admin: ImportActor;
const tag = () => randomBytes(3).toString("hex");
const upload = (kind: ImportKind, text: string, actor = admin) =>
  createImportBatch(kind, { name: `${kind}.csv`, bytes: new TextEncoder().encode(text) }, actor);
const csv = (...lines: string[]) => `${lines.join("\r\n")}\r\n`;

beforeAll(async () => {
  w = await createWorld();
  admin = { ...w.admin, role: "ADMIN" };
});

async function planNamed() {
  return prisma.plan.findUniqueOrThrow({ where: { id: w.planId }, select: { name: true } });
}

describe("customers: validation report", () => {
  it("reports each bad row with its row number, column and a message, and keeps the rest", async () => {
    const t = tag();
    const plan = await planNamed();
    await prisma.customer.createMany({
      data: [
        { name: "Existing One", contactEmail: `exists-${t}@parley.test` },
        { name: "Existing Two", contactEmail: `same-${t}@parley.test` },
      ],
    });
    const archived = await prisma.plan.create({
      data: { name: `Old ${t}`, seats: 1, rooms: 1, retentionDays: 30, archivedAt: new Date() },
    });
    const batch = await upload(
      "customers",
      csv(
        "Name,contactEmail,kind,plan,notes",
        `Good Person,good-${t}@parley.test,person,${plan.name},`, // 2
        `X,short-${t}@parley.test,,,`, // 3: name too short
        `Bad Email,not-an-email,,,`, // 4
        `Bad Kind,kind-${t}@parley.test,alien,,`, // 5
        `No Plan,plan-${t}@parley.test,,Nonexistent,`, // 6
        `Archived,arch-${t}@parley.test,,${archived.name},`, // 7
        `Twice,good-${t}@parley.test,,,`, // 8: duplicate of row 2
        `Changed,exists-${t}@parley.test,,,`, // 9: exists with another name
        `Too,many,cells,here,now,extra`, // 10
        `"Quoted, Name",quoted-${t}@parley.test,COMPANY,${w.planId},"multi\nline"`, // 11
        `Existing Two,SAME-${t}@parley.test,,,`, // 13 (row 11 spans two lines): present
      ),
    );
    const report = await getImportBatch(batch.id, admin);
    expect(report.totalRows).toBe(11);
    expect(report.errors.map((e) => [e.row, e.column])).toEqual([
      [3, "name"],
      [4, "contactEmail"],
      [5, "kind"],
      [6, "plan"],
      [7, "plan"],
      [8, "contactEmail"],
      [9, "contactEmail"],
      [10, ""],
    ]);
    const byRow = new Map(report.errors.map((e) => [e.row, e.message]));
    expect(byRow.get(4)).toMatch(/valid email address/);
    expect(byRow.get(5)).toMatch(/person, family or company/);
    expect(byRow.get(6)).toMatch(/no plan “Nonexistent”/);
    expect(byRow.get(7)).toMatch(/archived/);
    expect(byRow.get(8)).toMatch(/Row 2 has the same contact email/);
    expect(byRow.get(9)).toMatch(/already exists \(“Existing One”\) with a different name/);
    expect(byRow.get(10)).toMatch(/6 cells but the header has 5/);
    expect(report.valid).toBe(3);
    expect(report.present).toBe(1);
    const rows = await importBatchRows(batch.id, admin);
    expect(rows.map((r) => r.row)).toEqual([2, 11, 13]);
    expect(rows[1].data).toMatchObject({
      name: "Quoted, Name",
      kind: "COMPANY",
      planId: w.planId,
      notes: "multi\nline",
    });
  });

  it("refuses a file without the header row, with unknown columns, or too big", async () => {
    await expect(upload("customers", csv("Alice,alice@parley.test"))).rejects.toThrow(
      /does not take|lacks/,
    );
    await expect(upload("customers", csv("name,email", "A b,a@b.test"))).rejects.toThrow(
      /“email”, which this import does not take/,
    );
    await expect(upload("customers", csv("name,contactEmail"))).rejects.toThrow(/no data rows/);
    await expect(upload("customers", 'name,contactEmail\r\n"unclosed,x\r\n')).rejects.toThrow(
      /not a valid CSV file/,
    );
    await expect(
      createImportBatch(
        "customers",
        { name: "x.csv", bytes: new Uint8Array([0x6e, 0xff, 0xfe]) },
        admin,
      ),
    ).rejects.toThrow(/not UTF-8/);
    const rows = Array.from({ length: 20_001 }, (_, i) => `N ${i},n${i}@parley.test`);
    await expect(upload("customers", csv("name,contactEmail", ...rows))).rejects.toThrow(
      /at most 20000/,
    );
  });

  it("accepts its own template: only the example's references can be missing", async () => {
    for (const kind of ["customers", "accounts"] as const) {
      const report = await getImportBatch((await upload(kind, importTemplate(kind))).id, admin);
      expect(report.totalRows).toBe(1);
      const columns = report.errors.map((e) => e.column);
      expect(columns).toEqual(report.valid ? [] : [kind === "customers" ? "plan" : "customer"]);
    }
  });
});

describe("customers: the operator's choice", () => {
  it("imports the valid rows only, or nothing", async () => {
    const t = tag();
    const file = csv(
      "name,contactEmail",
      `Valid A,va-${t}@parley.test`,
      `B,vb-${t}@parley.test`,
      `Valid C,vc-${t}@parley.test`,
    );
    const none = await upload("customers", file);
    await discardImportBatch(none.id, admin);
    await expect(getImportBatch(none.id, admin)).rejects.toThrow(/does not exist/);
    expect(await prisma.customer.count({ where: { contactEmail: { contains: t } } })).toBe(0);

    const some = await upload("customers", file);
    const result = await importBatchNow(some.id, admin);
    expect(result).toEqual({ created: 2, alreadyPresent: 0, failed: [] });
    const made = await prisma.customer.findMany({
      where: { contactEmail: { contains: t } },
      orderBy: { name: "asc" },
      select: { name: true },
    });
    expect(made.map((c) => c.name)).toEqual(["Valid A", "Valid C"]);
    expect((await getImportBatch(some.id, admin)).result).toEqual(result);
    expect(
      await prisma.auditEvent.count({ where: { action: "customer.created", actorId: admin.id } }),
    ).toBeGreaterThanOrEqual(2);
  });

  it("creates nothing when the same file is uploaded and imported again", async () => {
    const t = tag();
    const file = csv("name,contactEmail,notes", `Again ${t},again-${t}@parley.test,"n, 1"`);
    const first = await upload("customers", file);
    expect(await importBatchNow(first.id, admin)).toMatchObject({ created: 1 });
    const second = await upload("customers", file);
    const report = await getImportBatch(second.id, admin);
    expect([report.valid, report.present, report.errors.length]).toEqual([1, 1, 0]);
    expect(await importBatchNow(second.id, admin)).toEqual({
      created: 0,
      alreadyPresent: 1,
      failed: [],
    });
    // And the same batch applied again.
    const rows = await importBatchRows(first.id, admin);
    expect(await applyImportRows(first.id, rows, admin)).toEqual([
      { row: 2, outcome: "already-present" },
    ]);
    expect(await prisma.customer.count({ where: { contactEmail: `again-${t}@parley.test` } })).toBe(
      1,
    );
  });

  it("20 parallel applications of one batch create each customer exactly once", async () => {
    const t = tag();
    const lines = Array.from({ length: 10 }, (_, i) => `Par ${i},par${i}-${t}@parley.test`);
    const batch = await upload("customers", csv("name,contactEmail", ...lines));
    const rows = await importBatchRows(batch.id, admin);
    const runs = await Promise.all(
      Array.from({ length: 20 }, () => applyImportRows(batch.id, rows, admin)),
    );
    const outcomes = runs.flat();
    expect(outcomes.filter((o) => o.outcome === "failed")).toEqual([]);
    for (const { row } of rows)
      expect(outcomes.filter((o) => o.row === row && o.outcome === "created")).toHaveLength(1);
    expect(await prisma.customer.count({ where: { contactEmail: { contains: `-${t}@` } } })).toBe(
      10,
    );
    expect(await prisma.importLock.count()).toBe(0);
  }, 120_000);

  it("20 clicks on Import at once start one operation, and each gets its id", async () => {
    const t = tag();
    const batch = await upload(
      "customers",
      csv("name,contactEmail", `Click ${t},click-${t}@parley.test`),
    );
    const ids = await Promise.all(Array.from({ length: 20 }, () => startImport(batch.id, admin)));
    expect(new Set(ids.map((r) => r.id)).size).toBe(1);
    expect(
      await prisma.bulkOperation.count({
        where: { selection: { equals: { importBatch: batch.id } } },
      }),
    ).toBe(1);
    expect((await getImportBatch(batch.id, admin)).bulkOperationId).toBe(ids[0].id);
  });

  it("lets only the uploader import a batch, and only staff who may create", async () => {
    const other = { ...(await createUser("ADMIN")), role: "ADMIN" as const };
    const batch = await upload("customers", csv("name,contactEmail", `Mine,mine-${tag()}@x.test`));
    await expect(getImportBatch(batch.id, other)).rejects.toThrow(/does not exist/);
    await expect(applyImportRows(batch.id, [], other)).rejects.toThrow(/does not exist/);
    await expect(discardImportBatch(batch.id, other)).rejects.toThrow(/does not exist/);
    const support = { ...w.support, role: "SUPPORT" as const };
    await expect(
      upload("customers", csv("name,contactEmail", "Ab,ab@x.test"), support),
    ).rejects.toThrow(/permission/);
    await expect(upload("accounts", csv("customer,localpart", "x,y"), support)).rejects.toThrow(
      /permission/,
    );
  });
});

describe("expiry", () => {
  it("an upload nobody imported expires: refused, then deleted by housekeeping", async () => {
    const batch = await upload("customers", csv("name,contactEmail", `Late,late-${tag()}@x.test`));
    await prisma.importBatch.update({
      where: { id: batch.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    await expect(importBatchNow(batch.id, admin)).rejects.toThrow(/expired/);
    const worker = new Worker({
      db: prisma,
      jobs: jobDefinitions(housekeepingJobs as never),
      encryptionKey: randomBytes(32),
    });
    await enqueue(prisma, "parley.housekeeping", {});
    expect(await worker.runOnce()).toBe(true);
    expect(await prisma.importBatch.findUnique({ where: { id: batch.id } })).toBeNull();
  });
});

describe("accounts", () => {
  async function customerWithSeats(seats: number, extra: object = {}) {
    const t = tag();
    const plan = await prisma.plan.create({
      data: { name: `Seats ${t}`, seats, rooms: 1, retentionDays: 30 },
    });
    return prisma.customer.create({
      data: { name: `Acc ${t}`, contactEmail: `acc-${t}@parley.test`, planId: plan.id, ...extra },
    });
  }
  const server = () =>
    prisma.server.findUniqueOrThrow({
      where: { id: w.serverId },
      select: { id: true, name: true, domain: true },
    });

  it("reports bad rows and seats, and creates the rest through the domain", async () => {
    const s = await server();
    const c = await customerWithSeats(3);
    const noPlan = await prisma.customer.create({
      data: { name: "Planless", contactEmail: `planless-${tag()}@parley.test` },
    });
    const closed = await customerWithSeats(3, { status: "CLOSED" });
    const taken = await prisma.xmppAccount.findUniqueOrThrow({ where: { id: w.accountId } });
    const batch = await upload(
      "accounts",
      csv(
        "customer,localpart,server,displayName,recoveryEmail",
        `${c.contactEmail},one,${s.name},One,one@r.test`, // 2
        `${c.id},two,,,`, // 3
        `nobody@parley.test,x1,,,`, // 4
        `${c.id},admin,,,`, // 5: reserved name
        `${c.id},bad name,,,`, // 6
        `${c.id},three,No Such Server,,`, // 7
        `${c.id},one,${s.domain},,`, // 8: duplicate of row 2
        `${c.id},${taken.localpart},,,`, // 9: another customer's
        `${noPlan.id},y1,,,`, // 10
        `${closed.id},y2,,,`, // 11
        `${c.id},four,,,bad-email`, // 12
        `${c.id},five,,,`, // 13
        `${c.id},six,,,`, // 14: fourth new account, 3 seats
      ),
    );
    const report = await getImportBatch(batch.id, admin);
    expect(report.errors.map((e) => [e.row, e.column])).toEqual([
      [4, "customer"],
      [5, "localpart"],
      [6, "localpart"],
      [7, "server"],
      [8, "localpart"],
      [9, "localpart"],
      [10, "customer"],
      [11, "customer"],
      [12, "recoveryEmail"],
      [14, "localpart"],
    ]);
    const msg = new Map(report.errors.map((e) => [e.row, e.message]));
    expect(msg.get(4)).toMatch(/no customer with the id or contact email/);
    expect(msg.get(5)).toMatch(/reserved/);
    expect(msg.get(7)).toMatch(/no server “No Such Server”/);
    expect(msg.get(8)).toMatch(/Row 2 has the same address/);
    expect(msg.get(9)).toMatch(/taken by another customer/);
    expect(msg.get(10)).toMatch(/no plan yet/);
    expect(msg.get(11)).toMatch(/^Acc .*: /);
    expect(msg.get(14)).toMatch(/more than the 3 seats/);
    expect(report.valid).toBe(3);
    const result = await importBatchNow(batch.id, admin);
    expect(result).toEqual({ created: 3, alreadyPresent: 0, failed: [] });
    const made = await prisma.xmppAccount.findMany({
      where: { customerId: c.id },
      orderBy: { localpart: "asc" },
      select: {
        localpart: true,
        domain: true,
        displayName: true,
        recoveryEmail: true,
        status: true,
      },
    });
    expect(made).toEqual([
      {
        localpart: "five",
        domain: s.domain,
        displayName: "",
        recoveryEmail: null,
        status: "PENDING",
      },
      {
        localpart: "one",
        domain: s.domain,
        displayName: "One",
        recoveryEmail: "one@r.test",
        status: "PENDING",
      },
      {
        localpart: "two",
        domain: s.domain,
        displayName: "",
        recoveryEmail: null,
        status: "PENDING",
      },
    ]);
    // Each through createAccount: a creation job per account.
    expect(await prisma.job.count({ where: { type: "account.create", customerId: c.id } })).toBe(3);
  });

  it("re-upload: same data is already present, different data an error row", async () => {
    const c = await customerWithSeats(5);
    const file = csv("customer,localpart,displayName", `${c.id},again,Again`);
    expect(await importBatchNow((await upload("accounts", file)).id, admin)).toMatchObject({
      created: 1,
    });
    const second = await upload("accounts", file);
    expect(await importBatchNow(second.id, admin)).toEqual({
      created: 0,
      alreadyPresent: 1,
      failed: [],
    });
    const changed = await upload(
      "accounts",
      csv("customer,localpart,displayName", `${c.id},again,New`),
    );
    const report = await getImportBatch(changed.id, admin);
    expect(report.valid).toBe(0);
    expect(report.errors[0].message).toMatch(/different display name/);
  });

  it("seats hold when the import races itself: 20 parallel applications", async () => {
    const c = await customerWithSeats(4);
    const lines = Array.from({ length: 4 }, (_, i) => `${c.id},race${i}`);
    const batch = await upload("accounts", csv("customer,localpart", ...lines));
    const rows = await importBatchRows(batch.id, admin);
    // A second batch for the same customer, validated before the first is imported, wants the
    // same seats: the seat rule under the customer's lock refuses what does not fit.
    const rival = await upload("accounts", csv("customer,localpart", `${c.id},rival`));
    const rivalRows = await importBatchRows(rival.id, admin);
    const runs: RowOutcome[][] = await Promise.all([
      ...Array.from({ length: 20 }, () => applyImportRows(batch.id, rows, admin)),
      applyImportRows(rival.id, rivalRows, admin),
    ]);
    const outcomes = runs.flat();
    const created = outcomes.filter((o) => o.outcome === "created");
    // Five rows want four seats: four are created, once each; what is left is refused.
    expect(created).toHaveLength(4);
    for (const { row } of rows) {
      const mine = runs
        .slice(0, 20)
        .flat()
        .filter((o) => o.row === row);
      expect(mine.filter((o) => o.outcome === "created").length).toBeLessThanOrEqual(1);
      if (!mine.some((o) => o.outcome === "created"))
        expect(mine.every((o) => /All 4 seats/.test(o.error ?? ""))).toBe(true);
    }
    if (runs[20][0].outcome !== "created") expect(runs[20][0].error).toMatch(/All 4 seats/);
    expect(await prisma.xmppAccount.count({ where: { customerId: c.id } })).toBe(4);
  }, 120_000);
});
