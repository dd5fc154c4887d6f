// Provisioning throughput: Parley's durable queue against direct admin-API calls to the
// same ejabberd, in the same run, with the same bearer token and concurrency.
//
//   npm run bench:provisioning              # N=500, concurrency 8, SQLite and PostgreSQL
//   npm run bench:provisioning -- --smoke   # N=60, concurrency 4 (what .ci/run runs)
//   npm run bench:provisioning -- --pairs 3 # each direct + queue pair three times, and medians
//
// Once per server generation (Debian 12's ejabberd 23.01, backports' 24.x). Prints one table;
// each queue row is compared with the direct calls run in turns with it (these machines are
// noisy, so the baseline is measured beside every queue run, block by block).
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { printTable } from "./lib/print-table";
import { startCpuWindow, type CpuSplit } from "./lib/process-cpu";
import { prepareQueue, startQueueRunner, type Enqueued } from "./lib/queued-accounts";
import { registerDirectly } from "./lib/register-directly";
import { startEjabberd, type EjabberdInstance } from "../tests/harness/ejabberd";
import { GENERATIONS } from "../tests/harness/generation";
import { startPostgres, createDatabase, type PostgresCluster } from "../tests/harness/postgres";

const smoke = process.argv.includes("--smoke");
const N = smoke ? 60 : 500;
const CONCURRENCY = smoke ? 4 : 8;
// Untimed calls before each timed run, the same on both sides: the timed runs compare steady
// state (a worker runs for days), not the JIT compiling each side's code for the first time.
// The queue's CPU per account still falls after hundreds of jobs (bench/README.md), so 500.
const warmupAt = process.argv.indexOf("--warmup");
const WARMUP =
  warmupAt > 0 ? Math.max(0, Number(process.argv[warmupAt + 1]) || 0) : smoke ? 0 : 500;
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

// Each side's N accounts in BLOCKS blocks, the two sides taking turns (direct, queue, direct…):
// a slow phase of the machine (seconds long here, and ejabberd's CPU per registration moves
// with it) then falls on both sides alike instead of on one of them.
const BLOCKS = smoke ? 1 : 5;

type Side = { seconds: number; split: CpuSplit };
const noSplit = (): CpuSplit => ({ node: 0, nodeSystem: 0, ejabberd: 0, postgres: 0 });

// A side's figures as a table row's.
const rowOf = (side: Side) => ({
  n: N,
  seconds: side.seconds,
  perSecond: N / side.seconds,
  ...perAccount(side.split),
});

function add(side: Side, seconds: number, split: CpuSplit) {
  side.seconds += seconds;
  for (const k of Object.keys(split) as (keyof CpuSplit)[]) side.split[k] += split[k];
}

// One pair: warm-ups (untimed, the same on both sides), then the interleaved blocks.
async function pairOfRuns(ej: EjabberdInstance, token: string, url: string, tag: string) {
  const c = CONCURRENCY;
  const queue = await prepareQueue({ ej, token, url, name: `q${tag}`, key });
  const blockSize = N / BLOCKS;
  const held: Enqueued[] = [];
  for (let b = 0; b < BLOCKS; b++) held.push(await queue.enqueue(`q${tag}b${b}x`, blockSize, true));
  const enqueueSeconds = held.reduce((sum, block) => sum + block.enqueueSeconds, 0);
  const runner = await startQueueRunner({ concurrency: c, key });
  const raw: Side = { seconds: 0, split: noSplit() };
  const queued: Side = { seconds: 0, split: noSplit() };
  try {
    if (WARMUP) {
      await registerDirectly({ ej, token, prefix: `raw${tag}w`, n: WARMUP, concurrency: c });
      const warm = await queue.enqueue(`q${tag}w`, WARMUP, true);
      await runner.run(WARMUP, () => warm.release());
    }
    for (let b = 0; b < BLOCKS; b++) {
      let stop = startCpuWindow();
      const direct = await registerDirectly({
        ej,
        token,
        prefix: `raw${tag}b${b}x`,
        n: blockSize,
        concurrency: c,
      });
      add(raw, direct.seconds, stop());
      stop = startCpuWindow();
      const ran = await runner.run(blockSize, () => held[b].release());
      add(queued, ran.seconds, stop());
    }
  } finally {
    await runner.stop();
  }
  return { raw, queued, enqueueSeconds };
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
          const { raw, queued, enqueueSeconds } = await pairOfRuns(ej, token, url, tag);
          const rawRow = rowOf(raw);
          const queuedRow = rowOf(queued);
          rows.push({ ejabberd, what: "direct API calls", db: "—", ...rawRow });
          rows.push({
            ejabberd,
            what: "through the queue",
            db,
            ...queuedRow,
            ratio: raw.seconds / queued.seconds,
            cpuRatio: queuedRow.nodeCpuMs / rawRow.nodeCpuMs,
          });
          console.error(
            `[bench] ejabberd ${ejabberd}, ${db}: enqueueing ${N} jobs took ${enqueueSeconds.toFixed(2)} s (not included above)`,
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
