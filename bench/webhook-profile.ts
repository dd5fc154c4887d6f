// Where the webhook benchmark's time goes: the same deliveries as bench/webhook-ingestion.ts,
// with every statement counted at the driver (bench/lib/statement-counter.ts: what Prisma and
// driver-level SQL both end up as) and the CPU of each delivery, by kind of delivery, plus a CPU
// profile summed by code area and the CPU of one call of each building block. Profiling slows
// the run; compare the parts, not the totals.
//
//   node scripts/run-ts.mjs bench/webhook-profile.ts            # SQLite and PostgreSQL
//   node scripts/run-ts.mjs bench/webhook-profile.ts --sqlite   # SQLite only
import { mkdtempSync, rmSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { randomBytes } from "node:crypto";
import os from "node:os";
import path from "node:path";
import Stripe from "stripe";
import type { DB } from "../core/db";
import { printTable } from "./lib/print-table";
import { countStatements, type StatementStats } from "./lib/statement-counter";
import { switchToMigrated } from "./lib/switch-database";
import { benchDeliveries, SECRET } from "./lib/webhook-deliveries";
import { startPostgres, createDatabase, type PostgresCluster } from "../tests/harness/postgres";

process.env.STRIPE_WEBHOOK_SECRET = SECRET;
delete process.env.STRIPE_SECRET_KEY;

const cpuSince = (from: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1000;
};

// CPU self time by the code it was spent in (libsql's native statement stepping has no URL).
function area(url: string, fn: string): string {
  if (fn === "(garbage collector)") return "garbage collection";
  if (fn === "(program)" || fn === "(idle)" || fn === "(root)") return "native / idle";
  if (fn.startsWith("libsql") || /libsql/.test(url)) return "SQLite (libsql engine and binding)";
  if (/node_modules\/(pg|pg-[a-z]+|postgres-[a-z]+)\//.test(url)) return "pg driver";
  if (/node_modules\/stripe\//.test(url)) return "Stripe SDK (signature, JSON)";
  if (/@prisma\/|\/generated\//.test(url)) return "Prisma client and adapter";
  if (/\/bench\//.test(url)) return "this profiler";
  if (/\/(lib|core|provisioning)\//.test(url) && !/node_modules/.test(url)) return "Parley code";
  if (url.startsWith("node:") || url === "") return "Node.js (promises, microtasks, internals)";
  return "other packages";
}

// What a statement is for, from its kind ("UPDATE Subscription", "BEGIN"…).
function part(kind: string): string {
  if (/StripeEvent/.test(kind)) return "claim, replay check, settle (StripeEvent)";
  if (/AuditEvent/.test(kind)) return "audit rows";
  if (/^SELECT User/.test(kind)) return "notice: the customer's portal users";
  if (/^UPDATE Subscription/.test(kind)) return "subscription write (and lifecycleDue cleared)";
  return "lifecycle (transaction, move, accounts) and other reads";
}

type Kind =
  "applied, lifecycle synced" | "applied, lifecycle skipped" | "invoice.paid (noted)" | "replay";

// CPU per call of the building blocks, on this machine now: what one statement costs through
// Prisma's model API, its raw API, an interactive transaction, and the driver adapter below it.
async function calibrate(db: string, prisma: DB) {
  const CALLS = 1000;
  const cpuPerCall = async (call: (i: number) => Promise<unknown>) => {
    for (let i = 0; i < 50; i++) await call(-i - 1);
    const from = process.cpuUsage();
    for (let i = 0; i < CALLS; i++) await call(i);
    return cpuSince(from) / CALLS;
  };
  const { sqlOf } = await import("../core/db");
  const sql = sqlOf(prisma);
  const tag = randomBytes(3).toString("hex");
  await prisma.stripeEvent.create({ data: { id: `cal_${tag}`, type: "x", created: 0 } });
  const delivery = (await benchDeliveries(prisma))[0];
  const rows: [string, number][] = [
    [
      "constructEvent + stripeEvent.create (the baseline's delivery)",
      await cpuPerCall(async (i) => {
        Stripe.webhooks.constructEvent(delivery.payload, delivery.header, SECRET);
        await prisma.stripeEvent.create({ data: { id: `cal_${tag}_${i}`, type: "x", created: i } });
      }),
    ],
    [
      "model query (stripeEvent.findUnique)",
      await cpuPerCall(() => prisma.stripeEvent.findUnique({ where: { id: `cal_${tag}` } })),
    ],
    [
      "model insert (auditEvent.create, as recordAudit)",
      await cpuPerCall(() =>
        prisma.auditEvent.create({
          data: { actorLabel: "system", action: "calibrate", targetType: "x", details: { i: 1 } },
          select: { id: true },
        }),
      ),
    ],
    [
      "raw query (prisma.$queryRaw, the same SELECT)",
      await cpuPerCall(
        () => prisma.$queryRaw`SELECT "state" FROM "StripeEvent" WHERE "id" = ${`cal_${tag}`}`,
      ),
    ],
    [
      "interactive transaction around one $executeRaw",
      await cpuPerCall((i) =>
        prisma.$transaction(
          (tx) =>
            tx.$executeRaw`UPDATE "StripeEvent" SET "created" = ${i} WHERE "id" = ${`cal_${tag}`}`,
        ),
      ),
    ],
    [
      "driver-level query (core/sql.ts, the same SELECT, no Prisma)",
      await cpuPerCall(() =>
        sql.query(`SELECT "state" FROM "StripeEvent" WHERE "id" = $1`, [`cal_${tag}`], true),
      ),
    ],
    [
      "driver-level transaction around one UPDATE",
      await cpuPerCall((i) =>
        sql.transaction((tx) =>
          tx.execute(
            `UPDATE "StripeEvent" SET "created" = $1 WHERE "id" = $2`,
            [i, `cal_${tag}`],
            true,
          ),
        ),
      ),
    ],
  ];
  console.log(`\n${db}: CPU per call (${CALLS} calls each)\n`);
  printTable(
    ["call", "CPU ms"],
    rows.map(([what, ms]) => [what, ms.toFixed(3)]),
  );
}

async function profile(db: string, url: string) {
  await switchToMigrated(url);
  const { prisma } = await import("../core/db");
  const { handleStripeWebhook } = await import("../lib/billing/webhook");
  await calibrate(db, prisma);
  const deliveries = await benchDeliveries(prisma);
  await prisma.stripeEvent.count();

  const t0 = performance.now();
  for (const d of deliveries) Stripe.webhooks.constructEvent(d.payload, d.header, SECRET);
  const verifyMs = (performance.now() - t0) / deliveries.length;

  // Statements are counted when prepared after this (core's SQLite connection prepares each
  // once), so the connections are closed first and reopened under the counter.
  const counter = countStatements();
  await prisma.$disconnect();
  const byKind = new Map<Kind, { n: number; cpuMs: number; statements: StatementStats }>();
  for (const d of deliveries) {
    counter.stats.clear();
    const start = process.cpuUsage();
    const r = await handleStripeWebhook(d.payload, d.header);
    const cpuMs = cpuSince(start);
    const kind: Kind = /Duplicate/.test(r.message)
      ? "replay"
      : /noted/.test(r.message)
        ? "invoice.paid (noted)"
        : counter.stats.has("BEGIN") || counter.stats.has("BEGIN (new connection)")
          ? "applied, lifecycle synced"
          : "applied, lifecycle skipped";
    const k = byKind.get(kind) ?? { n: 0, cpuMs: 0, statements: new Map() };
    k.n++;
    k.cpuMs += cpuMs;
    for (const [what, v] of counter.stats) {
      const acc = k.statements.get(what) ?? { n: 0, ms: 0 };
      acc.n += v.n;
      acc.ms += v.ms;
      k.statements.set(what, acc);
    }
    byKind.set(kind, k);
  }
  counter.stop();
  // The sampling profile on a second run of the same stream (for new customers), so its own
  // cost stays out of the figures above.
  const again = await benchDeliveries(prisma);
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 200 });
  await session.post("Profiler.start");
  for (const d of again) await handleStripeWebhook(d.payload, d.header);
  const { profile: cpu } = await session.post("Profiler.stop");
  session.disconnect();

  console.log(`\n### ${db}: constructEvent alone ${verifyMs.toFixed(3)} ms per delivery\n`);
  const count = (m: StatementStats) => [...m.values()].reduce((a, v) => a + v.n, 0);
  printTable(
    ["delivery", "count", "statements each", "CPU ms each"],
    [...byKind].map(([kind, k]) => [
      kind,
      String(k.n),
      (count(k.statements) / k.n).toFixed(1),
      (k.cpuMs / k.n).toFixed(2),
    ]),
  );
  for (const [kind, k] of byKind) {
    console.log(`\n${db}, ${kind}: statements per delivery\n`);
    printTable(
      ["statement", "per delivery", "ms in the driver"],
      [...k.statements].map(([what, v]) => [what, (v.n / k.n).toFixed(2), (v.ms / k.n).toFixed(3)]),
    );
  }
  // All deliveries together, by what the statements are for.
  const byPart = new Map<string, number>();
  for (const k of byKind.values())
    for (const [what, v] of k.statements)
      byPart.set(part(what), (byPart.get(part(what)) ?? 0) + v.n);
  const total = [...byKind.values()].reduce((a, k) => a + k.n, 0);
  const cpuTotal = [...byKind.values()].reduce((a, k) => a + k.cpuMs, 0);
  console.log(
    `\n${db}: all ${total} deliveries, ${(cpuTotal / total).toFixed(2)} ms CPU each; statements by part\n`,
  );
  printTable(
    ["part", "statements per delivery"],
    [...byPart].map(([p, n]) => [p, (n / total).toFixed(2)]),
  );
  const self = new Map<string, number>();
  const dt = cpu.timeDeltas ?? [];
  const nodeById = new Map(cpu.nodes.map((n) => [n.id, n]));
  (cpu.samples ?? []).forEach((id, i) => {
    const n = nodeById.get(id)!;
    const a = area(n.callFrame.url, n.callFrame.functionName);
    self.set(a, (self.get(a) ?? 0) + (dt[i] ?? 0));
  });
  const all = [...self.values()].reduce((a, b) => a + b, 0);
  console.log(`\n${db}: CPU profile (self time by code area)\n`);
  printTable(
    ["area", "share"],
    [...self]
      .sort((a, b) => b[1] - a[1])
      .map(([a, us]) => [a, `${((100 * us) / all).toFixed(0)}%`]),
  );
  await prisma.$disconnect();
  delete (globalThis as { parleyPrisma?: unknown }).parleyPrisma;
}

const tmp = mkdtempSync(path.join(os.tmpdir(), "parley-bench-webhook-profile-"));
let pg: PostgresCluster | undefined;
try {
  await profile("SQLite", `file:${tmp}/bench.db`);
  if (!process.argv.includes("--sqlite")) {
    pg = await startPostgres();
    await createDatabase(pg.adminUrl, "bench_webhook_profile");
    await profile("PostgreSQL", pg.urlFor("bench_webhook_profile"));
  }
} finally {
  await pg?.stop();
  rmSync(tmp, { recursive: true, force: true });
}
