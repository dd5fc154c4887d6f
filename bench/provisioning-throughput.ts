// Provisioning throughput: Parley's durable queue against direct admin-API calls to the
// same ejabberd, in the same run, with the same bearer token and concurrency.
//
//   npm run bench:provisioning              # N=500, concurrency 8, SQLite and PostgreSQL
//   npm run bench:provisioning -- --smoke   # N=60, concurrency 4 (what .ci/run runs)
//   npm run bench:provisioning -- --pairs 3 # each direct + queue pair three times, and medians
//
// Once per server generation (Debian 12's ejabberd 23.01, backports' 24.x). Prints one table;
// each queue row is compared with the raw run just before it (these machines are noisy, so the
// baseline is re-measured next to every queue run).
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { printTable } from "./lib/print-table";
import { startCpuWindow, type CpuSplit } from "./lib/process-cpu";
import { prepareQueue, runQueuedAccounts } from "./lib/queued-accounts";
import { registerDirectly } from "./lib/register-directly";
import { startEjabberd, type EjabberdInstance } from "../tests/harness/ejabberd";
import { GENERATIONS } from "../tests/harness/generation";
import { startPostgres, createDatabase, type PostgresCluster } from "../tests/harness/postgres";

const smoke = process.argv.includes("--smoke");
const N = smoke ? 60 : 500;
const CONCURRENCY = smoke ? 4 : 8;
// Untimed calls before each timed run, the same on both sides: the timed runs compare steady
// state (a worker runs for days), not the JIT compiling each side's code for the first time.
const WARMUP = smoke ? 0 : 100;
// Pairs of runs per server and database: the ratio of one pair moves by ±10 % with the
// machine's load, so several pairs and their medians say more than one.
const pairsAt = process.argv.indexOf("--pairs");
const PAIRS = pairsAt > 0 ? Math.max(1, Number(process.argv[pairsAt + 1]) || 1) : 1;
const key = randomBytes(32);
process.env.PARLEY_ENCRYPTION_KEY = key.toString("base64");

type Row = {
  ejabberd: string;
  what: string;
  db: string;
  n: number;
  seconds: number;
  perSecond: number;
  nodeCpuMs: number;
  // ejabberd's and PostgreSQL's CPU per account in the same window: ejabberd's own varies
  // from run to run by more than the queue costs, which moves the ratio.
  ejabberdCpuMs: number;
  postgresCpuMs: number;
  // Queue rows: against the direct run just before them.
  ratio?: number;
  cpuRatio?: number;
};

type CpuPerAccount = Pick<Row, "nodeCpuMs" | "ejabberdCpuMs" | "postgresCpuMs">;

function perAccount(split: CpuSplit): CpuPerAccount {
  return {
    nodeCpuMs: split.node / N,
    ejabberdCpuMs: split.ejabberd / N,
    postgresCpuMs: split.postgres / N,
  };
}

async function rawRegisters(ej: EjabberdInstance, token: string, prefix: string) {
  const c = CONCURRENCY;
  if (WARMUP)
    await registerDirectly({ ej, token, prefix: `${prefix}w`, n: WARMUP, concurrency: c });
  const stop = startCpuWindow();
  const { seconds } = await registerDirectly({ ej, token, prefix, n: N, concurrency: CONCURRENCY });
  return { seconds, ...perAccount(stop()) };
}

async function queuedRegisters(
  ej: EjabberdInstance,
  token: string,
  url: string,
  prefix: string,
): Promise<{ seconds: number; enqueueSeconds: number } & CpuPerAccount> {
  const queue = await prepareQueue({ ej, token, url, name: prefix, key });
  if (WARMUP) {
    await queue.enqueue(`${prefix}w`, WARMUP);
    await runQueuedAccounts({ n: WARMUP, concurrency: CONCURRENCY, key });
  }
  const { enqueueSeconds } = await queue.enqueue(prefix, N);
  let stop = startCpuWindow();
  let cpu: CpuPerAccount | undefined;
  const { seconds } = await runQueuedAccounts({
    n: N,
    concurrency: CONCURRENCY,
    key,
    around: {
      start() {
        stop = startCpuWindow();
      },
      stop() {
        cpu = perAccount(stop());
      },
    },
  });
  return { seconds, enqueueSeconds, ...cpu! };
}

function print(rows: Row[]) {
  const header = [
    "ejabberd",
    "run",
    "database",
    "N",
    "seconds",
    "accounts/s",
    "Parley CPU ms/account",
    "ejabberd CPU",
    "PostgreSQL CPU",
    "queue ÷ raw",
  ];
  const lines = rows.map((r) => [
    r.ejabberd,
    r.what,
    r.db,
    String(r.n),
    r.seconds.toFixed(2),
    r.perSecond.toFixed(1),
    r.nodeCpuMs.toFixed(2),
    r.ejabberdCpuMs.toFixed(2),
    r.db === "PostgreSQL" ? r.postgresCpuMs.toFixed(2) : "",
    r.ratio === undefined ? "" : r.ratio.toFixed(2),
  ]);
  printTable(header, lines);
}

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

// Per server and database: the median of the pairs' throughput ratios and CPU ratios (each
// queue run against the direct run just before it), against the goals.
function printMedians(rows: Row[]) {
  const groups = new Map<string, { ratios: number[]; cpu: number[] }>();
  for (const r of rows) {
    if (r.ratio === undefined || r.cpuRatio === undefined) continue;
    const key = `${r.ejabberd}|${r.db}`;
    const g = groups.get(key) ?? { ratios: [], cpu: [] };
    g.ratios.push(r.ratio);
    g.cpu.push(r.cpuRatio);
    groups.set(key, g);
  }
  console.log(
    `\nMedians of ${PAIRS} pairs (goals: queue ÷ raw ≥ 0.9, CPU ≤ 2× the direct calls')\n`,
  );
  printTable(
    ["ejabberd", "database", "queue ÷ raw (each)", "median", "CPU × direct (each)", "median"],
    [...groups].map(([key, g]) => {
      const [ejabberd, db] = key.split("|");
      const each = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(" ");
      return [
        ejabberd,
        db,
        each(g.ratios),
        median(g.ratios).toFixed(2),
        each(g.cpu),
        median(g.cpu).toFixed(2),
      ];
    }),
  );
}

let pg: PostgresCluster | undefined;
const tmp = mkdtempSync(path.join(os.tmpdir(), "parley-bench-"));
try {
  pg = await startPostgres();
  const rows: Row[] = [];
  for (const generation of GENERATIONS) {
    const ej = await startEjabberd({ loglevel: "warning", generation });
    const ejabberd = ej.release.replace(/-.*/, "");
    try {
      const token = await ej.mintToken();
      await createDatabase(pg.adminUrl, `bench_${generation}`);
      for (const [db, url] of [
        ["SQLite", `file:${tmp}/bench-${generation}.db`],
        ["PostgreSQL", pg.urlFor(`bench_${generation}`)],
      ] as const) {
        for (let pair = 0; pair < PAIRS; pair++) {
          const tag = `${db === "SQLite" ? "s" : "p"}${pair}`;
          const raw = await rawRegisters(ej, token, `raw${tag}`);
          rows.push({
            ejabberd,
            what: "direct API calls",
            db: "—",
            n: N,
            perSecond: N / raw.seconds,
            ...raw,
          });
          const queued = await queuedRegisters(ej, token, url, `q${tag}`);
          rows.push({
            ejabberd,
            what: "through the queue",
            db,
            n: N,
            perSecond: N / queued.seconds,
            ...queued,
            ratio: raw.seconds / queued.seconds,
            cpuRatio: queued.nodeCpuMs / raw.nodeCpuMs,
          });
          console.error(
            `[bench] ejabberd ${ejabberd}, ${db}: enqueueing ${N} jobs took ${queued.enqueueSeconds.toFixed(2)} s (not included above)`,
          );
        }
      }
    } finally {
      await ej.stop();
    }
  }
  console.log(
    `\nProvisioning throughput, ejabberd register with bearer token, concurrency ${CONCURRENCY}, ${os.cpus().length} CPUs${smoke ? " (smoke)" : ""}\n`,
  );
  print(rows);
  if (PAIRS > 1) printMedians(rows);
} finally {
  const holder = globalThis as { parleyPrisma?: { $disconnect(): Promise<void> } };
  await holder.parleyPrisma?.$disconnect();
  await pg?.stop();
  rmSync(tmp, { recursive: true, force: true });
}
