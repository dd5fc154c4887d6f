import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/core/db";
import { JOB_TYPES, type JobType } from "@/lib/jobs/job-types";
import { checkLocalpart, checkRoomName } from "@/provisioning/names";
import { parseReasons } from "@/provisioning/suspension";
import { redactLinks } from "@/lib/notifications/send-email";
import { seedCounts, seedDatabase, SeedRefused, type SeedReport } from "@/bench/seed/seed-data";

// `npm run seed` on this project's fresh database (SQLite file or PostgreSQL): the proportions,
// the rules the app keeps (seats, holds, unique names, hashed tokens), and the refusal to seed
// a database that already has customers.
const N = 200;
let report: SeedReport;

beforeAll(async () => {
  report = await seedDatabase(prisma, { customers: N, seed: 7, chunkSize: 150 });
}, 120_000);

// Quoted strings in lib/: the action names the app really writes.
function libStrings(): Set<string> {
  const found = new Set<string>();
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith(".ts"))
        for (const m of readFileSync(p, "utf8").matchAll(/"([a-z_]+\.[a-z_.]+)"/g)) found.add(m[1]);
    }
  };
  walk(path.resolve("lib"));
  return found;
}

describe(`seeding (${process.env.PARLEY_TEST_DB})`, () => {
  it("writes each model in the issue's proportions", async () => {
    const want = seedCounts(N);
    expect(want).toEqual({
      customers: 200,
      accounts: 600,
      rooms: 40,
      invites: 100,
      jobs: 400,
      auditEvents: 1000,
      outboxEmails: 100,
    });
    expect({
      customers: await prisma.customer.count(),
      accounts: await prisma.xmppAccount.count(),
      rooms: await prisma.room.count(),
      invites: await prisma.invite.count(),
      jobs: await prisma.job.count(),
      auditEvents: await prisma.auditEvent.count(),
      outboxEmails: await prisma.outboxEmail.count(),
    }).toEqual(want);
    expect(report.rows.customers).toBe(N);
    expect(await prisma.plan.count()).toBeGreaterThanOrEqual(3);
    const servers = await prisma.server.findMany({ select: { kind: true, apiTokenEnc: true } });
    expect(servers.map((s) => s.kind).sort()).toEqual(["EJABBERD", "EJABBERD", "PROSODY"]);
    // Seeded users can never sign in, and no admin is made (the install's first-admin link stays).
    expect(await prisma.user.count({ where: { role: "ADMIN" } })).toBe(0);
    expect(await prisma.user.count({ where: { passwordHash: { not: "!unset" } } })).toBe(0);
  });

  it("keeps references, plan limits and name rules", async () => {
    const customers = await prisma.customer.findMany({
      select: {
        id: true,
        status: true,
        createdAt: true,
        plan: { select: { seats: true, rooms: true } },
      },
    });
    const servers = new Map(
      (await prisma.server.findMany()).map((s) => [s.id, { domain: s.domain, muc: s.mucDomain }]),
    );
    const byId = new Map(customers.map((c) => [c.id, c]));
    const accounts = await prisma.xmppAccount.findMany();
    const perCustomer = new Map<string, number>();
    for (const a of accounts) {
      expect(byId.has(a.customerId), `customer of ${a.localpart}`).toBe(true);
      expect(servers.get(a.serverId)?.domain, `server of ${a.localpart}`).toBe(a.domain);
      expect(checkLocalpart(a.localpart)).toEqual({ ok: true, name: a.localpart });
      perCustomer.set(a.customerId, (perCustomer.get(a.customerId) ?? 0) + 1);
    }
    // Every account, deleted or not, within the plan's seats (stricter than the app's rule,
    // which counts only live accounts).
    for (const [id, n] of perCustomer) expect(n).toBeLessThanOrEqual(byId.get(id)!.plan!.seats);
    const rooms = await prisma.room.findMany();
    const roomsPer = new Map<string, number>();
    for (const r of rooms) {
      expect(byId.has(r.customerId)).toBe(true);
      expect(servers.get(r.serverId)?.muc).toBe(r.domain);
      expect(checkRoomName(r.name)).toEqual({ ok: true, name: r.name });
      roomsPer.set(r.customerId, (roomsPer.get(r.customerId) ?? 0) + 1);
    }
    for (const [id, n] of roomsPer) expect(n).toBeLessThanOrEqual(byId.get(id)!.plan!.rooms);
    // Over two years, never in the future.
    const oldest = Date.now() - 731 * 86_400_000;
    for (const c of customers) {
      expect(c.createdAt.getTime()).toBeGreaterThan(oldest);
      expect(c.createdAt.getTime()).toBeLessThanOrEqual(Date.now());
    }
    const statuses = new Set(customers.map((c) => c.status));
    for (const s of ["ACTIVE", "PAST_DUE", "SUSPENDED", "TERMINATED"] as const)
      expect(statuses, s).toContain(s);
    expect(customers.filter((c) => c.status === "ACTIVE").length).toBeGreaterThan(N * 0.7);
  });

  it("puts a hold's reason on every live account of a held customer", async () => {
    const accounts = await prisma.xmppAccount.findMany({
      where: { status: { notIn: ["DELETED", "FAILED"] } },
      select: { status: true, suspensionReasons: true, customer: { select: { status: true } } },
    });
    const held = accounts.filter((a) => a.customer.status === "SUSPENDED");
    expect(held.length).toBeGreaterThan(0);
    for (const a of held) {
      expect(a.status).toBe("SUSPENDED");
      expect(parseReasons(a.suspensionReasons)).toContain("billing");
    }
    for (const a of accounts.filter((x) => x.customer.status === "CLOSING"))
      expect(parseReasons(a.suspensionReasons)).toContain("closing");
    for (const a of accounts.filter((x) => !["SUSPENDED", "CLOSING"].includes(x.customer.status)))
      expect(parseReasons(a.suspensionReasons)).not.toContain("billing");
    // Suspended means a reason, and a reason means suspended.
    for (const a of accounts)
      expect(a.status === "SUSPENDED").toBe(parseReasons(a.suspensionReasons).length > 0);
    const ended = await prisma.xmppAccount.findMany({
      where: { customer: { status: { in: ["CLOSED", "TERMINATED"] } } },
      select: { status: true, localpart: true, domain: true },
    });
    for (const a of ended) expect(a.status).toBe("DELETED");
    const tombstones = await prisma.usernameTombstone.count();
    expect(tombstones).toBe(await prisma.xmppAccount.count({ where: { status: "DELETED" } }));
  });

  it("stores only hashes of tokens nobody has", async () => {
    const invites = await prisma.invite.findMany({ select: { tokenHash: true } });
    const receipts = await prisma.inviteUse.findMany({ select: { receiptHash: true } });
    for (const h of [...invites.map((i) => i.tokenHash), ...receipts.map((r) => r.receiptHash)]) {
      expect(h).toMatch(/^[0-9a-f]{64}$/);
      // newToken()'s shape: 43 base64url characters.
      expect(h).not.toMatch(/^[A-Za-z0-9_-]{43}$/);
    }
    expect(new Set(invites.map((i) => i.tokenHash)).size).toBe(invites.length);
    // Outbox bodies as sendEmail stores them: links redacted, nothing sealed.
    const emails = await prisma.outboxEmail.findMany({ select: { text: true, sealedText: true } });
    expect(emails.some((e) => e.text.includes("[one-time link, not stored]"))).toBe(true);
    for (const e of emails) {
      expect(redactLinks(e.text)).toBe(e.text);
      expect(e.sealedText).toBeNull();
    }
  });

  it("writes jobs the worker can read and audit events with the app's action names", async () => {
    const jobs = await prisma.job.findMany({ select: { type: true, payload: true, status: true } });
    for (const j of jobs) {
      expect(Object.keys(JOB_TYPES)).toContain(j.type);
      expect(JOB_TYPES[j.type as JobType].safeParse(j.payload).success, j.type).toBe(true);
    }
    const share = (s: string) => jobs.filter((j) => j.status === s).length / jobs.length;
    expect(share("SUCCEEDED")).toBeGreaterThan(0.8);
    expect(share("FAILED")).toBeGreaterThan(0);
    expect(share("PENDING")).toBeGreaterThan(0);

    const known = libStrings();
    const events = await prisma.auditEvent.findMany({
      select: { action: true, actorLabel: true, details: true, targetType: true, reason: true },
    });
    const actions = new Set(events.map((e) => e.action));
    for (const a of actions)
      expect(known.has(a) || a.startsWith("customer.billing_"), `action ${a}`).toBe(true);
    // No IP address anywhere in what was written.
    const text = JSON.stringify([
      events,
      await prisma.server.findMany(),
      await prisma.user.findMany(),
    ]);
    expect(text).not.toMatch(/\b\d{1,3}(\.\d{1,3}){3}\b/);
  });

  it("refuses a database that already has customers, unless appending", async () => {
    await expect(seedDatabase(prisma, { customers: 10, seed: 7 })).rejects.toThrow(SeedRefused);
    await expect(seedDatabase(prisma, { customers: 10, seed: 7 })).rejects.toThrow(/--append/);
    expect(await prisma.customer.count()).toBe(N);
    expect(await prisma.xmppAccount.count()).toBe(3 * N);
    // With --append, the same seed adds new people with fresh names next to the old ones.
    await seedDatabase(prisma, { customers: 50, seed: 7, append: true });
    expect(await prisma.customer.count()).toBe(N + 50);
    expect(await prisma.xmppAccount.count()).toBe(3 * (N + 50));
    expect(await prisma.server.count()).toBe(3);
    expect(await prisma.plan.count()).toBe(4);
  }, 60_000);
});
