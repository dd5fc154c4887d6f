import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/core/db";
import { seedDatabase } from "@/bench/seed/seed-data";
import {
  ZJobListParams,
  countJobsNeedingAttention,
  jobListWhere,
  listJobs,
  type JobListParams,
} from "@/lib/jobs/queries";
import {
  ZAuditListParams,
  auditListWhere,
  listAuditEvents,
  type AuditListParams,
} from "@/lib/audit/queries";
import {
  ZOutboxListParams,
  listOutboxEmails,
  outboxListWhere,
  type OutboxListParams,
} from "@/lib/notifications/queries";
import { LOG_COUNT_CAP, encodeCursor } from "@/lib/tables/keyset";
import type { Principal } from "@/lib/auth/policy";
import { walk } from "../helpers/keyset-walk";

// The console's job, audit and outbox lists: keyset pages walk every matching row exactly once
// both ways, each filter and search gives exactly the rows it should, any URL is a valid view,
// counts stop at their cap, and support never gets a billing row from any of them.

const admin: Principal = { id: "list-admin", role: "ADMIN", customerId: null };
const support: Principal = { id: "list-support", role: "SUPPORT", customerId: null };
const BULK = LOG_COUNT_CAP + 5;
const known = { customerId: "", serverId: "", accountId: "", jobId: "" };

beforeAll(async () => {
  await seedDatabase(prisma, { customers: 40, seed: 5, chunkSize: 100 });
  const account = await prisma.xmppAccount.findFirstOrThrow({
    select: { id: true, customerId: true, serverId: true },
  });
  Object.assign(known, {
    customerId: account.customerId,
    serverId: account.serverId,
    accountId: account.id,
  });
  const job = await prisma.job.create({
    data: {
      type: "account.password",
      payload: { accountId: account.id },
      status: "FAILED",
      attempts: 8,
      lastError: "Quokka relay REFUSED the password",
      subjectId: account.id,
      customerId: account.customerId,
      serverId: account.serverId,
    },
  });
  known.jobId = job.id;
  // Waiting work, for the next-run order: two due at the same moment (the id breaks the tie).
  const soon = new Date(Date.now() + 60_000);
  await prisma.job.createMany({
    data: [soon, soon, new Date(Date.now() + 120_000)].map((runAt) => ({
      type: "account.kick",
      payload: { accountId: account.id },
      status: "PENDING" as const,
      runAt,
    })),
  });
  await prisma.job.create({
    data: {
      type: "billing.tick",
      payload: {},
      status: "FAILED",
      lastError: "No such subscription: 'sub_Quokka123'",
    },
  });
  const event = (action: string, extra: object = {}) => ({
    actorLabel: "system",
    action,
    targetType: "customer",
    targetId: account.customerId,
    customerId: account.customerId,
    ...extra,
  });
  await prisma.auditEvent.createMany({
    data: [
      event("billing.subscription.synced", { reason: "quokka billing" }),
      event("customer.billing_past_due"),
      event("plan.updated", { targetType: "plan", customerId: null }),
      event("customer.updated", {
        actorLabel: "quokka-staff@parley.test",
        reason: "Quokka asked nicely",
      }),
      event("account.suspended", { targetType: "xmppAccount", targetId: account.id }),
    ],
  });
  // Enough of one action to pass the count's cap, long ago so the newest pages stay mixed.
  await prisma.auditEvent.createMany({
    data: Array.from({ length: BULK }, (_, i) => ({
      ...event("test.bulk"),
      at: new Date(Date.UTC(2020, 0, 1, 0, 0, i)),
    })),
  });
  const email = (to: string, subject: string, extra: object) => ({
    to,
    subject,
    text: "Choose a password: https://parley.test/welcome/[one-time link, not stored]",
    transport: "smtp",
    ...extra,
  });
  await prisma.outboxEmail.createMany({
    data: [
      email("quokka.person@mail.test", "Quokka welcome", {}),
      email("wombat@mail.test", "Your Quokka reset", { error: "452 Mailbox full" }),
      email("kept@mail.test", "Kept quokka", { transport: "outbox" }),
      email("sent-quokka@mail.test", "Sent", { sentAt: new Date() }),
    ],
  });
}, 180_000);

const ids = (rows: { id: string }[]) => rows.map((r) => r.id).sort();

describe(`job list (${process.env.PARLEY_TEST_DB})`, () => {
  const params = (raw: Record<string, string>) => ZJobListParams.parse(raw);
  const field = { created: "createdAt", runAt: "runAt" } as const;
  async function expected(p: JobListParams, viewer: Principal, dir: "asc" | "desc") {
    const rows = await prisma.job.findMany({
      where: jobListWhere(p, viewer),
      orderBy: [{ [field[p.sort]]: dir }, { id: dir }],
      select: { id: true },
    });
    return rows.map((r) => r.id);
  }
  const all = (raw: Record<string, string>, viewer = admin) => {
    const p = params({ size: "100", ...raw });
    return walk((c) => listJobs(viewer, { ...p, ...c })).then((w) => w.forward.sort());
  };

  for (const [sort, dir, viewer] of [
    ["created", "desc", admin],
    ["created", "asc", support],
    ["runAt", "asc", admin],
    ["runAt", "desc", support],
  ] as const) {
    it(`walks every job once both ways by ${sort} ${dir} (${viewer.role})`, async () => {
      const p = params({ sort, dir, size: "25" });
      const want = await expected(p, viewer, dir);
      expect(want.length).toBeGreaterThan(sort === "runAt" ? 0 : 50);
      const { forward, backward } = await walk((c) => listJobs(viewer, { ...p, ...c }));
      expect(new Set(forward).size).toBe(forward.length);
      expect(forward).toEqual(want);
      expect(backward).toEqual(want);
    });
  }

  it("sorted by next run, lists only the work still to do", async () => {
    const rows = await all({ sort: "runAt" });
    const waiting = await prisma.job.findMany({
      where: { status: { in: ["PENDING", "RUNNING"] } },
      select: { id: true },
    });
    expect(rows).toEqual(ids(waiting));
  });

  it("filters by status, type, family, server, customer and created range exactly", async () => {
    const rows = await prisma.job.findMany({
      select: { id: true, status: true, type: true, serverId: true, customerId: true },
    });
    const want = (keep: (r: (typeof rows)[number]) => boolean) => ids(rows.filter(keep));
    expect(await all({ status: "FAILED" })).toEqual(want((r) => r.status === "FAILED"));
    expect(await all({ type: "account.create" })).toEqual(want((r) => r.type === "account.create"));
    const accountJobs = want((r) => r.type.startsWith("account."));
    expect(accountJobs.length).toBeGreaterThan(want((r) => r.type === "account.create").length);
    expect(await all({ type: "account" })).toEqual(accountJobs);
    expect(await all({ server: known.serverId })).toEqual(
      want((r) => r.serverId === known.serverId),
    );
    const mine = want((r) => r.customerId === known.customerId);
    expect(mine).toContain(known.jobId);
    expect(await all({ customer: known.customerId })).toEqual(mine);
    const created = await prisma.job.findMany({ select: { id: true, createdAt: true } });
    const days = created.map((r) => r.createdAt.toISOString().slice(0, 10)).sort();
    const [from, to] = [days[Math.floor(days.length / 4)], days[Math.floor(days.length / 2)]];
    const inRange = ids(
      created.filter((r) => {
        const d = r.createdAt.toISOString().slice(0, 10);
        return d >= from && d <= to;
      }),
    );
    expect(inRange.length).toBeGreaterThan(0);
    expect(await all({ from, to })).toEqual(inRange);
  });

  it("searches job and subject ids, type prefixes and error text", async () => {
    const found = async (raw: Record<string, string>) =>
      (await listJobs(admin, params(raw))).rows.map((r) => r.id);
    expect(await found({ q: known.jobId })).toEqual([known.jobId]);
    expect(await found({ q: known.accountId })).toContain(known.jobId);
    expect(await found({ q: "relay refused", match: "contains" })).toEqual([known.jobId]);
    expect(await found({ q: "QUOKKA RELAY", match: "prefix" })).toEqual([known.jobId]);
    expect(await found({ q: "relay refused", match: "prefix" })).toEqual([]);
    const typed = await listJobs(admin, params({ q: "account.pass", size: "100" }));
    expect(typed.rows.length).toBeGreaterThan(0);
    expect(new Set(typed.rows.map((r) => r.type))).toEqual(new Set(["account.password"]));
  });

  it("shows billing jobs to admins only, under every filter and search", async () => {
    const views: Record<string, string>[] = [
      {},
      { type: "billing" },
      { q: "sub_Quokka" },
      { status: "FAILED" },
    ];
    for (const raw of views) {
      expect((await listJobs(admin, params(raw))).rows.map((r) => r.type)).toContain(
        "billing.tick",
      );
      const seen = await listJobs(support, params({ size: "100", ...raw }));
      expect(seen.rows.map((r) => r.type)).not.toContain("billing.tick");
    }
    expect((await listJobs(support, params({ type: "billing" }))).count).toEqual({
      value: 0,
      exact: true,
    });
  });

  it("counts what needs attention as the filtered lists do, billing aside for support", async () => {
    for (const viewer of [admin, support]) {
      for (const { status, count } of await countJobsNeedingAttention(viewer)) {
        expect(count).toEqual((await listJobs(viewer, params({ status }))).count);
      }
    }
    const failed = async (viewer: Principal) =>
      (await countJobsNeedingAttention(viewer)).find((c) => c.status === "FAILED")!.count.value;
    expect(await failed(admin)).toBe((await failed(support)) + 1);
  });

  it("turns any URL into a valid view", async () => {
    const p = params({ sort: "finished", dir: "up", size: "7", status: "DONE", type: "rm -rf" });
    expect(p).toMatchObject({ sort: "created", size: 25 });
    expect(p.status).toBeUndefined();
    expect(p.type).toBeUndefined();
    const first = await listJobs(admin, params({}));
    const tampered = await listJobs(admin, params({ after: "garbage" }));
    expect(tampered.rows.map((r) => r.id)).toEqual(first.rows.map((r) => r.id));
  });
});

describe(`audit list (${process.env.PARLEY_TEST_DB})`, () => {
  const params = (raw: Record<string, string>) => ZAuditListParams.parse(raw);
  async function expected(p: AuditListParams, viewer: Principal, dir: "asc" | "desc") {
    const rows = await prisma.auditEvent.findMany({
      where: auditListWhere(p, viewer),
      orderBy: [{ at: dir }, { id: dir }],
      select: { id: true },
    });
    return rows.map((r) => r.id);
  }
  const all = (raw: Record<string, string>, viewer = admin) => {
    const p = params({ size: "100", ...raw });
    return walk((c) => listAuditEvents(viewer, { ...p, ...c })).then((w) => w.forward.sort());
  };
  const everything = () =>
    prisma.auditEvent.findMany({
      select: { id: true, action: true, actorLabel: true, customerId: true, targetType: true },
    });

  for (const [dir, viewer] of [
    ["desc", admin],
    ["asc", support],
  ] as const) {
    it(`walks every event once both ways, ${dir} (${viewer.role})`, async () => {
      const p = params({ dir, size: "100" });
      const want = await expected(p, viewer, dir);
      expect(want.length).toBeGreaterThan(BULK);
      const { forward, backward } = await walk((c) => listAuditEvents(viewer, { ...p, ...c }));
      expect(new Set(forward).size).toBe(forward.length);
      expect(forward).toEqual(want);
      expect(backward).toEqual(want);
    });
  }

  it("filters by action prefix, actor, customer, target type and date exactly", async () => {
    const rows = await everything();
    const want = (keep: (r: (typeof rows)[number]) => boolean) => ids(rows.filter(keep));
    const accountEvents = want((r) => r.action.startsWith("account."));
    expect(accountEvents.length).toBeGreaterThan(0);
    expect(await all({ action: "account." })).toEqual(accountEvents);
    expect(await all({ action: "Customer.Updated" })).toEqual(
      want((r) => r.action === "customer.updated"),
    );
    expect(await all({ actor: "Quokka-Staff@parley.test" })).toEqual(
      want((r) => r.actorLabel === "quokka-staff@parley.test"),
    );
    expect(await all({ customer: known.customerId })).toEqual(
      want((r) => r.customerId === known.customerId),
    );
    expect(await all({ target: "room" })).toEqual(want((r) => r.targetType === "room"));
    const bulk = await all({ from: "2020-01-01", to: "2020-01-01" });
    expect(bulk).toEqual(want((r) => r.action === "test.bulk"));
  });

  it("searches target ids and reasons", async () => {
    const reasons = async (raw: Record<string, string>) =>
      (await listAuditEvents(admin, params(raw))).rows.map((r) => r.reason);
    expect(await reasons({ q: "asked nice", match: "contains" })).toEqual(["Quokka asked nicely"]);
    expect(await reasons({ q: "quokka ASKED", match: "prefix" })).toEqual(["Quokka asked nicely"]);
    expect(await reasons({ q: "asked nice", match: "prefix" })).toEqual([]);
    const byTarget = await listAuditEvents(admin, params({ q: known.accountId, size: "100" }));
    expect(byTarget.rows.length).toBeGreaterThan(0);
    expect(new Set(byTarget.rows.map((r) => r.targetId))).toEqual(new Set([known.accountId]));
  });

  it("caps the count, and says so", async () => {
    expect((await listAuditEvents(admin, params({}))).count).toEqual({
      value: LOG_COUNT_CAP,
      exact: false,
    });
    expect((await listAuditEvents(admin, params({ action: "customer.updated" }))).count).toEqual({
      value: (await all({ action: "customer.updated" })).length,
      exact: true,
    });
  });

  it("gives support no billing event under any filter or search", async () => {
    const billing = /^(billing\.|customer\.billing_|plan\.)/;
    const views: Record<string, string>[] = [
      {},
      { action: "billing." },
      { action: "customer.billing" },
      { action: "plan." },
      { customer: known.customerId },
      { q: "quokka billing" },
      { q: known.customerId },
    ];
    for (const raw of views) {
      const seen = await all(raw, support);
      const actions = (await prisma.auditEvent.findMany({ where: { id: { in: seen } } })).map(
        (e) => e.action,
      );
      expect(actions.filter((a) => billing.test(a))).toEqual([]);
    }
    expect(await all({ action: "billing." })).not.toEqual([]);
  });

  it("turns any URL into a valid view", async () => {
    const p = params({ action: "'; drop", target: "spaceship", sort: "who", size: "0" });
    expect(p.action).toBeUndefined();
    expect(p.target).toBeUndefined();
    expect(p).toMatchObject({ sort: "time", size: 25 });
    // A cursor carrying text where the column holds times: the first page, not an error.
    const first = await listAuditEvents(admin, params({}));
    const typed = await listAuditEvents(admin, params({ after: encodeCursor("x", "y") }));
    expect(typed.rows.map((r) => r.id)).toEqual(first.rows.map((r) => r.id));
  });
});

describe(`outbox list (${process.env.PARLEY_TEST_DB})`, () => {
  const params = (raw: Record<string, string>) => ZOutboxListParams.parse(raw);
  const all = (raw: Record<string, string>) => {
    const p = params({ size: "25", ...raw });
    return walk((c) => listOutboxEmails({ ...p, ...c })).then((w) => w.forward.sort());
  };

  for (const dir of ["desc", "asc"] as const) {
    it(`walks every email once both ways, ${dir}`, async () => {
      const p: OutboxListParams = params({ dir, size: "25" });
      const want = (
        await prisma.outboxEmail.findMany({
          where: outboxListWhere(p),
          orderBy: [{ createdAt: dir }, { id: dir }],
          select: { id: true },
        })
      ).map((r) => r.id);
      expect(want.length).toBeGreaterThan(20);
      const { forward, backward } = await walk((c) => listOutboxEmails({ ...p, ...c }));
      expect(forward).toEqual(want);
      expect(backward).toEqual(want);
    });
  }

  it("filters by status and date exactly", async () => {
    const rows = await prisma.outboxEmail.findMany();
    const want = (keep: (r: (typeof rows)[number]) => boolean) => ids(rows.filter(keep));
    expect(await all({ status: "sent" })).toEqual(want((r) => r.sentAt !== null));
    expect(await all({ status: "kept" })).toEqual(want((r) => r.transport === "outbox"));
    const failed = want((r) => r.transport === "smtp" && !r.sentAt && r.error !== null);
    expect(failed.length).toBeGreaterThan(0);
    expect(await all({ status: "failed" })).toEqual(failed);
    expect(await all({ status: "queued" })).toEqual(
      want((r) => r.transport === "smtp" && !r.sentAt && r.error === null),
    );
    const today = new Date().toISOString().slice(0, 10);
    expect(await all({ from: today })).toEqual(
      want((r) => r.createdAt.toISOString().slice(0, 10) >= today),
    );
  });

  it("searches recipients and subjects by prefix and substring, any case", async () => {
    const to = async (raw: Record<string, string>) =>
      (await listOutboxEmails(params(raw))).rows.map((r) => r.to).sort();
    expect(await to({ q: "QUOKKA.per", match: "prefix" })).toEqual(["quokka.person@mail.test"]);
    expect(await to({ q: "person@mail", match: "prefix" })).toEqual([]);
    expect(await to({ q: "person@mail", match: "contains" })).toEqual(["quokka.person@mail.test"]);
    expect(await to({ q: "quokka", match: "contains" })).toEqual([
      "kept@mail.test",
      "quokka.person@mail.test",
      "sent-quokka@mail.test",
      "wombat@mail.test",
    ]);
  });

  it("shows the redacted body only, never a link", async () => {
    const list = await listOutboxEmails(params({ q: "quokka", size: "100" }));
    for (const row of list.rows) {
      expect(row.text).not.toMatch(/\/welcome\/[A-Za-z0-9_-]{20,}/);
      expect(row).not.toHaveProperty("sealedText");
    }
  });

  it("turns any URL into a valid view", async () => {
    const p = params({ status: "bounced", sort: "to", from: "yesterday", size: "1e9" });
    expect(p.status).toBeUndefined();
    expect(p.from).toBeUndefined();
    expect(p).toMatchObject({ sort: "created", size: 25 });
  });
});
