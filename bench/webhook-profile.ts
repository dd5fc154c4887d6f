// Where the webhook benchmark's time goes: the same deliveries as bench/webhook-ingestion.ts,
// through a driver adapter that records every statement (and the time since the previous one,
// so Prisma's and the app's own work is charged to the statement it leads to), plus a CPU
// profile summed by code area. Profiling slows the run; compare the parts, not the totals.
//
//   node scripts/run-ts.mjs bench/webhook-profile.ts            # SQLite and PostgreSQL
//   node scripts/run-ts.mjs bench/webhook-profile.ts --sqlite   # SQLite only
import { mkdtempSync, rmSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { randomBytes } from "node:crypto";
import os from "node:os";
import path from "node:path";
import Stripe from "stripe";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlDriverAdapter, SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import type { DB } from "../core/db";
import { PrismaLibSqlTuned } from "../core/db-sqlite";
import { PrismaClient as SqliteClient } from "../generated/sqlite/client";
import { PrismaClient as PostgresClient } from "../generated/postgres/client";
import { printTable } from "./lib/print-table";
import { switchToMigrated } from "./lib/switch-database";
import { benchDeliveries, SECRET } from "./lib/webhook-deliveries";
import { startPostgres, createDatabase, type PostgresCluster } from "../tests/harness/postgres";

process.env.STRIPE_WEBHOOK_SECRET = SECRET;
delete process.env.STRIPE_SECRET_KEY;

// Per statement: CPU since the previous statement ended (Prisma's and the app's work leading to
// it, and the driver's), and wall time inside the driver call (for PostgreSQL, mostly waiting).
type Seen = { label: string; cpuMs: number; driverMs: number; n: number };
let seen: Seen[] = [];
let mark = process.cpuUsage();
const cpuSince = (from: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1000;
};

// "SELECT Customer by stripeCustomerId", "UPDATE Subscription by customerId,lastEventCreated", …
function label(sql: string): string {
  const s = sql.replace(/[`"]/g, "").replace(/\b(main|public)\./g, "");
  const verb = s.trim().split(/\s+/)[0].toUpperCase();
  const table =
    /\b(?:FROM|INTO|UPDATE)\s+(\w+)/i.exec(s)?.[1] ??
    /\bFROM\s+\(?\s*SELECT.*?FROM\s+(\w+)/i.exec(s)?.[1];
  const where = /\bWHERE\b(.*)$/is.exec(s)?.[1] ?? "";
  const cols = [
    ...new Set(
      [...where.matchAll(/(?:\w+\.)?(\w+)\s*(?:=|IN\b|<=|>=|<|>|IS\b)/gi)].map((m) => m[1]),
    ),
  ];
  return `${verb} ${table ?? "?"}${cols.length ? ` by ${cols.join(",")}` : ""}`;
}

let recordingOn = false;

async function timed<T>(what: string, run: () => Promise<T>): Promise<T> {
  if (!recordingOn) return run();
  const t0 = performance.now();
  try {
    return await run();
  } finally {
    seen.push({ label: what, cpuMs: cpuSince(mark), driverMs: performance.now() - t0, n: 1 });
    mark = process.cpuUsage();
  }
}

function recording<Q extends object>(target: Q): Q {
  return new Proxy(target, {
    get(t, property, receiver) {
      const value = Reflect.get(t, property, receiver);
      if (typeof value !== "function") return value;
      if (property === "queryRaw" || property === "executeRaw")
        return (q: { sql: string }) => timed(label(q.sql), () => value.call(t, q));
      if (property === "startTransaction")
        return (...args: unknown[]) =>
          timed("BEGIN (interactive transaction)", async () =>
            recording(await value.apply(t, args)),
          );
      if (property === "commit") return () => timed("COMMIT", () => value.call(t));
      return value.bind(t);
    },
  });
}

function recordingFactory(factory: SqlDriverAdapterFactory): SqlDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => recording<SqlDriverAdapter>(await factory.connect()),
  };
}

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

// What a statement is for, from its label.
function part(label: string): string {
  if (label.startsWith("(")) return "after the last statement (answer)";
  if (/StripeEvent/.test(label)) return "claim, replay check, settle (StripeEvent)";
  if (/AuditEvent/.test(label)) return "audit rows";
  if (/^SELECT User/.test(label)) return "notice: the customer's portal users";
  if (/^SELECT (Customer by stripeCustomerId|Subscription by customerId,1)/.test(label))
    return "customer and subscription reads before the write";
  if (/^UPDATE Subscription by customerId,(stripeCustomerId,)?lastEventCreated/.test(label))
    return "subscription write";
  return "lifecycle (transaction, move, accounts, lifecycleDue) and first-event reads";
}

type Kind =
  "applied, lifecycle synced" | "applied, lifecycle skipped" | "invoice.paid (noted)" | "replay";

// CPU per call of the building blocks, on this machine now: what one statement costs through
// Prisma's model API, its raw API, an interactive transaction, and the driver adapter below it.
async function calibrate(db: string, prisma: DB, factory: SqlDriverAdapterFactory) {
  const CALLS = 1000;
  const cpuPerCall = async (call: (i: number) => Promise<unknown>) => {
    for (let i = 0; i < 50; i++) await call(-i - 1);
    const from = process.cpuUsage();
    for (let i = 0; i < CALLS; i++) await call(i);
    return cpuSince(from) / CALLS;
  };
  const driver = await factory.connect();
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
      "driver adapter queryRaw (the same SELECT, no Prisma)",
      await cpuPerCall(() =>
        driver.queryRaw({
          sql: `SELECT "state" FROM "StripeEvent" WHERE "id" = ${db === "SQLite" ? "?" : "$1"}`,
          args: [`cal_${tag}`],
          argTypes: [{ scalarType: "string", arity: "scalar" }],
        }),
      ),
    ],
  ];
  await driver.dispose();
  console.log(`\n${db}: CPU per call (${CALLS} calls each)\n`);
  printTable(
    ["call", "CPU ms"],
    rows.map(([what, ms]) => [what, ms.toFixed(3)]),
  );
}

async function profile(db: string, url: string) {
  await switchToMigrated(url);
  const adapter = url.startsWith("file:")
    ? new PrismaLibSqlTuned({ url, timeout: 10_000 })
    : new PrismaPg({ connectionString: url });
  const Client = (url.startsWith("file:") ? SqliteClient : PostgresClient) as typeof SqliteClient;
  (globalThis as { parleyPrisma?: unknown }).parleyPrisma = new Client({
    adapter: recordingFactory(adapter),
  });
  const { prisma } = await import("../core/db");
  const { handleStripeWebhook } = await import("../lib/billing/webhook");
  await calibrate(db, prisma, adapter);
  const deliveries = await benchDeliveries(prisma);
  await prisma.stripeEvent.count();

  const t0 = performance.now();
  for (const d of deliveries) Stripe.webhooks.constructEvent(d.payload, d.header, SECRET);
  const verifyMs = (performance.now() - t0) / deliveries.length;

  recordingOn = true;
  const byKind = new Map<Kind, { n: number; cpuMs: number; statements: Map<string, Seen> }>();
  for (const d of deliveries) {
    seen = [];
    const start = (mark = process.cpuUsage());
    const r = await handleStripeWebhook(d.payload, d.header);
    seen.push({ label: "(after the last statement)", cpuMs: cpuSince(mark), driverMs: 0, n: 1 });
    const kind: Kind = /Duplicate/.test(r.message)
      ? "replay"
      : /noted/.test(r.message)
        ? "invoice.paid (noted)"
        : seen.some((s) => s.label.startsWith("BEGIN"))
          ? "applied, lifecycle synced"
          : "applied, lifecycle skipped";
    const k = byKind.get(kind) ?? { n: 0, cpuMs: 0, statements: new Map() };
    k.n++;
    k.cpuMs += cpuSince(start);
    for (const s of seen) {
      const acc = k.statements.get(s.label) ?? { label: s.label, cpuMs: 0, driverMs: 0, n: 0 };
      acc.cpuMs += s.cpuMs;
      acc.driverMs += s.driverMs;
      acc.n++;
      k.statements.set(s.label, acc);
    }
    byKind.set(kind, k);
  }
  recordingOn = false;
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
  printTable(
    ["delivery", "count", "statements each", "CPU ms each"],
    [...byKind].map(([kind, k]) => [
      kind,
      String(k.n),
      (
        [...k.statements.values()].reduce((a, s) => a + (s.label.startsWith("(") ? 0 : s.n), 0) /
        k.n
      ).toFixed(1),
      (k.cpuMs / k.n).toFixed(2),
    ]),
  );
  for (const [kind, k] of byKind) {
    console.log(`\n${db}, ${kind}: CPU up to and including each statement, per delivery\n`);
    printTable(
      ["statement", "per delivery", "CPU ms", "wall ms in driver"],
      [...k.statements.values()].map((s) => [
        s.label,
        (s.n / k.n).toFixed(2),
        (s.cpuMs / k.n).toFixed(3),
        (s.driverMs / k.n).toFixed(3),
      ]),
    );
  }
  // All deliveries together, by what the statements are for.
  const byPart = new Map<string, { n: number; cpuMs: number }>();
  for (const k of byKind.values())
    for (const st of k.statements.values()) {
      const p = byPart.get(part(st.label)) ?? { n: 0, cpuMs: 0 };
      p.n += st.label.startsWith("(") ? 0 : st.n;
      p.cpuMs += st.cpuMs;
      byPart.set(part(st.label), p);
    }
  const total = [...byKind.values()].reduce((a, k) => a + k.n, 0);
  console.log(`\n${db}: all ${total} deliveries by part, per delivery\n`);
  printTable(
    ["part", "statements", "CPU ms"],
    [...byPart].map(([p, v]) => [p, (v.n / total).toFixed(2), (v.cpuMs / total).toFixed(3)]),
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
