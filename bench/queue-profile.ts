// Where the queue's time goes, per account, in the provisioning benchmark's queue run:
// statements sent to the database (each a round trip on PostgreSQL), and with --cpu the
// Node process's CPU split by part of the stack (V8's sampling profiler, which itself costs
// some CPU: compare the plain run's total).
//
//   node scripts/run-ts.mjs bench/queue-profile.ts [sqlite|postgres] [--cpu] [--n 500]
//   node scripts/run-ts.mjs bench/queue-profile.ts --direct [--cpu]   # the baseline, same split
import { randomBytes } from "node:crypto";
import { withBenchServers } from "./lib/bench-servers";
import { printTable } from "./lib/print-table";
import { profileCpu } from "./lib/cpu-profile";
import { queueAccounts, runQueuedAccounts } from "./lib/queued-accounts";
import { registerDirectly } from "./lib/register-directly";
import { startCpuWindow, startThreadWindow, type CpuSplit } from "./lib/process-cpu";
import { countStatements } from "./lib/statement-counter";

const args = process.argv.slice(2);
const db = args.includes("postgres") ? "postgres" : "sqlite";
const withCpu = args.includes("--cpu");
const direct = args.includes("--direct");
const N = Number(args[args.indexOf("--n") + 1]) || 500;
const CONCURRENCY = 8;
const key = randomBytes(32);
process.env.PARLEY_ENCRYPTION_KEY = key.toString("base64");

await withBenchServers(db, async ({ ej, token, url }) => {
  await queueAccounts({ ej, token, url, prefix: "prof", n: N, key });
  // Node loads fetch's HTTP client on first use; the benchmark's direct run has done that
  // before its queue run, so do it here too.
  await fetch(`${ej.apiUrl}/status`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: "{}",
  }).then((r) => r.arrayBuffer());
  let counter: ReturnType<typeof countStatements> | undefined;
  let stopWindow = startCpuWindow();
  let stopThreads = startThreadWindow();
  let threads = new Map<string, number>();
  let split: CpuSplit = { node: 0, nodeSystem: 0, ejabberd: 0, postgres: 0 };
  let profiler: Awaited<ReturnType<typeof profileCpu>> | undefined;
  const around = {
    async start() {
      // For an outside profiler (perf record -p): say when the worker starts, wait for SIGUSR2.
      if (process.env.QUEUE_PROFILE_WAIT) {
        console.error(`[queue-profile] pid ${process.pid} ready`);
        await new Promise((resolve) => process.once("SIGUSR2", resolve));
      }
      if (withCpu) profiler = await profileCpu();
      counter = countStatements();
      stopWindow = startCpuWindow();
      stopThreads = startThreadWindow();
    },
    stop() {
      split = stopWindow();
      threads = stopThreads();
      counter?.stop();
      if (process.env.QUEUE_PROFILE_WAIT) console.error("[queue-profile] done");
    },
  };
  let seconds: number;
  if (direct) {
    await around.start();
    ({ seconds } = await registerDirectly({
      ej,
      token,
      prefix: "raw",
      n: N,
      concurrency: CONCURRENCY,
    }));
    around.stop();
  } else {
    ({ seconds } = await runQueuedAccounts({ n: N, concurrency: CONCURRENCY, key, around }));
  }
  const parts = await profiler?.stop();

  console.log(
    `\n${direct ? "direct register calls" : `${db}: ${N} account.create jobs`}, ` +
      `concurrency ${CONCURRENCY}, ${seconds.toFixed(2)} s, ` +
      `${(split.node / N).toFixed(2)} ms Node CPU per account (${(split.nodeSystem / N).toFixed(2)} in the kernel)` +
      `${withCpu ? " (profiler on)" : ""}; per account, ejabberd ` +
      `${(split.ejabberd / N).toFixed(2)} ms` +
      `${db === "postgres" && !direct ? `, PostgreSQL's server ${(split.postgres / N).toFixed(2)} ms` : ""}\n`,
  );
  const statements = [...counter!.stats].sort((a, b) => b[1].n - a[1].n);
  const total = statements.reduce((s, [, v]) => s + v.n, 0);
  printTable(
    ["statement", "per account", db === "postgres" ? "ms per round trip" : "ms each (runs here)"],
    [
      ...statements.map(([kind, v]) => [kind, (v.n / N).toFixed(2), (v.ms / v.n).toFixed(3)]),
      ["total", (total / N).toFixed(2), ""],
    ],
  );
  // The profiler samples the main thread only; the rest of Node's CPU is spent here.
  console.log("");
  printTable(
    ["Node thread", "ms per account"],
    [...threads]
      .filter(([, ms]) => ms > 0)
      .sort((a, b) => b[1] - a[1])
      .map(([name, ms]) => [name, (ms / N).toFixed(2)]),
  );
  if (parts) {
    const sampled = [...parts.values()].reduce((s, v) => s + v, 0);
    console.log("");
    printTable(
      ["part (self time)", "ms per account", "share"],
      [...parts]
        .sort((a, b) => b[1] - a[1])
        .map(([part, ms]) => [part, (ms / N).toFixed(2), `${((100 * ms) / sampled).toFixed(0)} %`]),
    );
  }
});
