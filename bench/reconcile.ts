// Reconciliation of one server's accounts: Parley's side (read its rows, diff against the
// server's listing, record the drift, queue repairs) timed apart from the server listing.
//   DATABASE_URL=file:/tmp/tables/parley.db node scripts/run-ts.mjs bench/reconcile.ts
// on a database seeded with `npm run seed -- --customers 100000` (about 100,000 accounts on
// each of its three servers). bench/console.ts runs it too.
import { randomBytes } from "node:crypto";
import type { DB } from "../core/db";
import type { XmppAdapter } from "../provisioning/servers/adapter";
import { percentile } from "./lib/stats";
import { benchEjabberdListing, type ListingResult } from "./reconcile-listing";

export type ReconcileRun = {
  mode: "dry-run" | "repair";
  accounts: number;
  rooms: number;
  listing: number;
  missing: number;
  unknown: number;
  queued: number;
  seconds: number[];
};

// The listing a server would return: Parley's live accounts on it with drift, 1% missing
// (every 100th) and 0.5% unknown to Parley. It is built from the database, not asked of a
// server: a real ejabberd's `registered_users` is timed apart (see bench/README.md).
async function driftedListing(db: DB, serverId: string) {
  const live = await db.xmppAccount.findMany({
    where: { serverId, status: { in: ["ACTIVE", "SUSPENDED"] } },
    select: { localpart: true },
  });
  const kept = live.filter((_, i) => i % 100 !== 0).map((a) => a.localpart);
  const extra = Array.from({ length: Math.floor(live.length / 200) }, (_, i) => `drift.${i}`);
  return [...kept, ...extra].sort();
}

export async function benchReconcile(db: DB, runs = 3): Promise<ReconcileRun[]> {
  const { reconcileJobs } = await import("../lib/servers/reconcile-job");
  const biggest = await db.xmppAccount.groupBy({
    by: ["serverId"],
    where: { status: { in: ["ACTIVE", "SUSPENDED"] } },
    _count: { _all: true },
    orderBy: { _count: { serverId: "desc" } },
    take: 1,
  });
  if (!biggest.length) return [];
  const serverId = biggest[0].serverId;
  const listing = await driftedListing(db, serverId);
  // The rooms as Parley has them (no drift): the handler still reads each room's state.
  const rooms = await db.room.findMany({
    where: { serverId, status: "ACTIVE" },
    select: { name: true, affiliations: { select: { jid: true, affiliation: true } } },
  });
  const states = new Map(
    rooms.map((r) => [
      r.name,
      { affiliations: Object.fromEntries(r.affiliations.map((a) => [a.jid, a.affiliation])) },
    ]),
  );
  // Only what the reconcile handler calls, answered from memory.
  const adapter = {
    capabilities: new Set(["rooms.list"]),
    listAccounts: async () => listing,
    listRooms: async () => [...states.keys()],
    readRoom: async (name: string) => states.get(name) ?? null,
  } as unknown as XmppAdapter;
  const handler = reconcileJobs({ adapterFor: async () => adapter })["server.reconcile"];
  const results: ReconcileRun[] = [];
  for (const mode of ["dry-run", "repair"] as const) {
    const row: ReconcileRun = {
      mode,
      accounts: 0,
      rooms: 0,
      listing: listing.length,
      missing: 0,
      unknown: 0,
      queued: 0,
      seconds: [],
    };
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      const report = (await handler.handle({
        jobId: `bench-${randomBytes(6).toString("hex")}`,
        attempt: 1,
        payload: { serverId, mode, maxMissingShare: 0.25 },
        secret: null,
        db,
        signal: new AbortController().signal,
        step: (_key, fn) => fn(),
        progress: async () => undefined,
        onSuccess: () => undefined,
      })) as import("../lib/servers/reconcile-job").DriftReport;
      row.seconds.push((performance.now() - t0) / 1000);
      row.accounts = report.checkedAccounts;
      row.rooms = report.checkedRooms;
      row.missing = report.missingAccounts.length;
      row.unknown = report.unknownAccounts.length;
      row.queued = report.repairsQueued;
    }
    results.push(row);
  }
  return results;
}

export function reconcileTable(rows: ReconcileRun[]): string[][] {
  return rows.map((r) => {
    const sorted = [...r.seconds].sort((a, b) => a - b);
    return [
      r.mode,
      r.accounts.toLocaleString("en"),
      r.rooms.toLocaleString("en"),
      r.listing.toLocaleString("en"),
      String(r.missing),
      String(r.unknown),
      String(r.queued),
      percentile(sorted, 50).toFixed(2),
      sorted[sorted.length - 1].toFixed(2),
      sorted[sorted.length - 1] < 10 ? "pass" : "FAIL",
    ];
  });
}

export const RECONCILE_HEADER = [
  "mode",
  "accounts",
  "rooms",
  "listing",
  "missing",
  "unknown",
  "queued",
  "median s",
  "max s",
  "< 10 s",
];

export function listingLine(l: ListingResult): string {
  return (
    `Server listing (a real ejabberd 23.01, \`registered_users\`): ${l.accounts.toLocaleString("en")} ` +
    `accounts in ${l.p50.toFixed(3)} s (median of 5, max ${l.max.toFixed(3)} s); ` +
    `scaled linearly, about ${l.per100k.toFixed(1)} s for 100,000 (an estimate).`
  );
}

// Standalone: `... bench/reconcile.ts [--ejabberd N]` (N accounts registered on a real ejabberd
// to time the listing; 0 = skip).
if (process.argv[1]?.endsWith("run-ts.mjs") && process.argv[2]?.endsWith("reconcile.ts")) {
  const { prisma } = await import("../core/db");
  const { printTable } = await import("./lib/print-table");
  printTable(RECONCILE_HEADER, reconcileTable(await benchReconcile(prisma)));
  await prisma.$disconnect();
  const at = process.argv.indexOf("--ejabberd");
  const n = at > 0 ? Number(process.argv[at + 1]) : 0;
  if (n > 0) console.log(`\n${listingLine(await benchEjabberdListing(n))}`);
}
