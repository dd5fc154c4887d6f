// Stripe webhook ingestion: signed events per second through handleStripeWebhook (signature,
// size cap, event-row lock, dispatch, order-safe subscription write, audit row, processedAt)
// against a baseline measured in the same run: constructEvent + one insert per event.
//
//   node scripts/run-ts.mjs bench/webhook-ingestion.ts            # N=1000 (20% replays), SQLite and PostgreSQL
//   node scripts/run-ts.mjs bench/webhook-ingestion.ts --sqlite   # SQLite only
//
// Payload-only mode (no STRIPE_SECRET_KEY): no Stripe API re-fetch is timed. Sequential delivery.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Stripe from "stripe";
import { deployMigrations } from "../scripts/lib/schema-engine.mjs";
import { printTable } from "./lib/print-table";
import { benchDeliveries, N, REPLAY_SHARE, SECRET } from "./lib/webhook-deliveries";
import { startPostgres, createDatabase, type PostgresCluster } from "../tests/harness/postgres";

process.env.STRIPE_WEBHOOK_SECRET = SECRET;
delete process.env.STRIPE_SECRET_KEY;

type Row = {
  what: string;
  db: string;
  n: number;
  seconds: number;
  perSecond: number;
  cpuMs: number;
  ratio?: number;
};

function cpuMs(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
}

async function runFor(db: string, url: string, rows: Row[]) {
  process.env.DATABASE_URL = url;
  const holder = globalThis as { parleyPrisma?: { $disconnect(): Promise<void> } };
  await holder.parleyPrisma?.$disconnect();
  delete holder.parleyPrisma;
  await deployMigrations({ url, log: () => undefined });
  const { prisma } = await import("../core/db");
  const { handleStripeWebhook } = await import("../lib/billing/webhook");

  const deliveries = await benchDeliveries(prisma);
  await prisma.stripeEvent.count(); // connection warm-up

  // Baseline: verify the signature and insert one row per delivery (a replay hits the key).
  let cpu = process.cpuUsage();
  let started = performance.now();
  for (const d of deliveries) {
    const event = Stripe.webhooks.constructEvent(d.payload, d.header, SECRET);
    try {
      await prisma.stripeEvent.create({
        data: { id: `base_${event.id}`, type: event.type, created: event.created },
      });
    } catch (error) {
      if ((error as { code?: string }).code !== "P2002") throw error;
    }
  }
  const base = { seconds: (performance.now() - started) / 1000, cpuMs: cpuMs(cpu) / N };
  rows.push({
    what: "constructEvent + 1 insert",
    db,
    n: N,
    seconds: base.seconds,
    perSecond: N / base.seconds,
    cpuMs: base.cpuMs,
  });

  cpu = process.cpuUsage();
  started = performance.now();
  const statuses = new Map<string, number>();
  for (const d of deliveries) {
    const r = await handleStripeWebhook(d.payload, d.header);
    const key =
      r.status === 200 && r.message.startsWith("Duplicate") ? "duplicate" : String(r.status);
    statuses.set(key, (statuses.get(key) ?? 0) + 1);
  }
  const seconds = (performance.now() - started) / 1000;
  rows.push({
    what: "handleStripeWebhook",
    db,
    n: N,
    seconds,
    perSecond: N / seconds,
    cpuMs: cpuMs(cpu) / N,
    ratio: base.seconds / seconds,
  });
  console.error(`[bench] ${db}: outcomes ${JSON.stringify(Object.fromEntries(statuses))}`);
  if ((statuses.get("200") ?? 0) + (statuses.get("duplicate") ?? 0) !== N)
    throw new Error(`unexpected outcomes on ${db}`);
  await prisma.$disconnect();
  delete holder.parleyPrisma;
}

function print(rows: Row[]) {
  const header = [
    "run",
    "database",
    "N",
    "seconds",
    "events/s",
    "CPU ms/event",
    "webhook ÷ baseline",
  ];
  const lines = rows.map((r) => [
    r.what,
    r.db,
    String(r.n),
    r.seconds.toFixed(2),
    r.perSecond.toFixed(0),
    r.cpuMs.toFixed(2),
    r.ratio === undefined ? "" : r.ratio.toFixed(2),
  ]);
  printTable(header, lines);
}

const sqliteOnly = process.argv.includes("--sqlite");
const tmp = mkdtempSync(path.join(os.tmpdir(), "parley-bench-webhook-"));
let pg: PostgresCluster | undefined;
try {
  const rows: Row[] = [];
  await runFor("SQLite", `file:${tmp}/bench.db`, rows);
  if (!sqliteOnly) {
    pg = await startPostgres();
    await createDatabase(pg.adminUrl, "bench_webhook");
    await runFor("PostgreSQL", pg.urlFor("bench_webhook"), rows);
  }
  console.log(
    `\nStripe webhook ingestion, N=${N} signed deliveries (${REPLAY_SHARE * 100}% replays), sequential, ${os.cpus().length} CPUs\n`,
  );
  print(rows);
} finally {
  const holder = globalThis as { parleyPrisma?: { $disconnect(): Promise<void> } };
  await holder.parleyPrisma?.$disconnect();
  await pg?.stop();
  rmSync(tmp, { recursive: true, force: true });
}
