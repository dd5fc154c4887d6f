// Bulk suspend end to end against a real ejabberd: an operator's "suspend every account
// matching this filter" through Parley (bulk.run job → one account.suspension job per account
// → the worker → ejabberd), against the same suspensions made by direct admin-API calls with
// the same concurrency, in the same run.
//
//   npm run bench:bulk                     # 10,000 accounts, SQLite and PostgreSQL
//   npm run bench:bulk -- --accounts 2000  # fewer
//   npm run bench:bulk -- --smoke          # 100 accounts, SQLite only
//
// Registering the accounts on ejabberd is set-up, timed apart and printed on stderr.
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { stopBenchServers } from "./lib/bench-servers";
import { printTable } from "./lib/print-table";
import { switchToMigrated } from "./lib/switch-database";
import { startEjabberd } from "../tests/harness/ejabberd";
import { startPostgres, createDatabase, type PostgresCluster } from "../tests/harness/postgres";
import { EjabberdAdapter } from "../provisioning/servers/ejabberd/adapter";

const CONCURRENCY = 8;
const key = randomBytes(32);
let N = 0;
let names: string[] = [];

async function eachConcurrently(work: (name: string) => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < names.length) await work(names[next++]);
    }),
  );
  return (performance.now() - started) / 1000;
}

async function throughParley(
  url: string,
  ej: Awaited<ReturnType<typeof startEjabberd>>,
  token: string,
) {
  await switchToMigrated(url);
  const { prisma } = await import("../core/db");
  const { seal } = await import("../core/secrets");
  const { Worker } = await import("../provisioning/queue/worker");
  const { AdapterPool } = await import("../provisioning/servers/adapter-pool");
  const { allJobs } = await import("../lib/jobs/handlers");
  const { ZStartBulk, startBulk } = await import("../lib/bulk/start-bulk");

  const server = await prisma.server.create({
    data: {
      name: "bench",
      kind: "EJABBERD",
      domain: ej.vhost,
      apiUrl: ej.apiUrl,
      apiTokenEnc: seal(token, key),
    },
  });
  const plan = await prisma.plan.create({
    data: { name: "bench", seats: N, rooms: 0, retentionDays: 0 },
  });
  const customer = await prisma.customer.create({
    data: { name: "Bench", contactEmail: "bench@example.test", planId: plan.id },
  });
  for (let i = 0; i < N; i += 1000)
    await prisma.xmppAccount.createMany({
      data: names.slice(i, i + 1000).map((localpart) => ({
        customerId: customer.id,
        serverId: server.id,
        localpart,
        domain: ej.vhost,
        status: "ACTIVE" as const,
      })),
    });
  const admin = await prisma.user.create({
    data: { email: "bench-admin@example.test", name: "Bench", role: "ADMIN", passwordHash: "x" },
  });
  const pool = new AdapterPool(prisma, key);
  const worker = new Worker({
    db: prisma,
    jobs: allJobs(pool),
    concurrency: CONCURRENCY,
    pollMs: 20,
  });
  const cpu = process.cpuUsage();
  const started = performance.now();
  const { id } = await startBulk(
    ZStartBulk.parse({
      action: "accounts.suspend",
      scope: "filter",
      filter: "q=bulk&match=prefix",
    }),
    { ...admin, customerId: null },
  );
  worker.start();
  let applied = 0;
  for (;;) {
    const op = await prisma.bulkOperation.findUniqueOrThrow({ where: { id } });
    if (!applied && op.status === "DONE") applied = (performance.now() - started) / 1000;
    const open = await prisma.job.count({ where: { status: { in: ["PENDING", "RUNNING"] } } });
    if (op.status === "DONE" && open === 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const seconds = (performance.now() - started) / 1000;
  const d = process.cpuUsage(cpu);
  await worker.stop();
  await pool.close();
  const op = await prisma.bulkOperation.findUniqueOrThrow({ where: { id } });
  const failedJobs = await prisma.job.count({ where: { bulkOperationId: id, status: "FAILED" } });
  if (op.done !== N || failedJobs)
    throw new Error(`bulk ended with ${op.done}/${N} done, ${failedJobs} jobs failed`);
  return { seconds, applied, cpuMs: (d.user + d.system) / 1000 / N };
}

export const BULK_HEADER = [
  "run",
  "database",
  "accounts",
  "seconds (end to end)",
  "seconds (rows applied)",
  "accounts/s",
  "Parley CPU ms/account",
  "direct ÷ bulk",
];

// Registers `accounts` on a fresh ejabberd, then per database: direct suspends (baseline), then
// the same suspensions as one bulk operation. Returns the table's rows.
export async function benchBulkSuspendRows(accounts: number, withPostgres: boolean) {
  N = accounts;
  names = Array.from({ length: N }, (_, i) => `bulk${String(i).padStart(6, "0")}`);
  process.env.PARLEY_ENCRYPTION_KEY = key.toString("base64");
  const ej = await startEjabberd({ loglevel: "warning" });
  let pg: PostgresCluster | undefined;
  const tmp = mkdtempSync(path.join(os.tmpdir(), "parley-bench-bulk-"));
  try {
    const token = await ej.mintToken();
    const adapter = new EjabberdAdapter({
      apiUrl: ej.apiUrl,
      token,
      domain: ej.vhost,
      mucDomain: ej.mucDomain,
    });
    const setup = await eachConcurrently((n) =>
      adapter.createAccount(n, "pw-0123456789-bench").then(() => undefined),
    );
    console.error(`[bench] registered ${N} accounts on ejabberd in ${setup.toFixed(1)} s (set-up)`);
    const databases: [string, string][] = [["SQLite", `file:${tmp}/bench.db`]];
    if (withPostgres) {
      pg = await startPostgres();
      await createDatabase(pg.adminUrl, "bench");
      databases.push(["PostgreSQL", pg.urlFor("bench")]);
    }
    const rows: string[][] = [];
    for (const [db, url] of databases) {
      const cpu = process.cpuUsage();
      const direct = await eachConcurrently((n) => adapter.suspend(n, "bench"));
      const directCpu = process.cpuUsage(cpu);
      rows.push([
        "direct API calls",
        "—",
        String(N),
        direct.toFixed(1),
        "",
        (N / direct).toFixed(0),
        ((directCpu.user + directCpu.system) / 1000 / N).toFixed(2),
        "",
      ]);
      await eachConcurrently((n) => adapter.unsuspend(n));
      const bulk = await throughParley(url, ej, token);
      rows.push([
        "bulk operation",
        db,
        String(N),
        bulk.seconds.toFixed(1),
        bulk.applied.toFixed(1),
        (N / bulk.seconds).toFixed(0),
        bulk.cpuMs.toFixed(2),
        (direct / bulk.seconds).toFixed(2),
      ]);
      const sample = names.filter((_, i) => i % Math.max(1, Math.floor(N / 20)) === 0);
      for (const n of sample)
        if (!(await adapter.isSuspended(n))) throw new Error(`${n} is not suspended on ejabberd`);
      await eachConcurrently((n) => adapter.unsuspend(n));
    }
    await adapter.close();
    return rows;
  } finally {
    await stopBenchServers({ ej, pg, tmp });
  }
}

// npm run bench:bulk [-- --accounts N | --smoke]
if (
  process.argv[1]?.endsWith("bulk-suspend.ts") ||
  process.argv.some((a) => a.endsWith("bulk-suspend.ts"))
) {
  const args = process.argv.slice(2);
  const smoke = args.includes("--smoke");
  const flag = args.indexOf("--accounts");
  const accounts = smoke ? 100 : flag >= 0 ? Number(args[flag + 1]) : 10_000;
  const rows = await benchBulkSuspendRows(accounts, !smoke);
  console.log(
    `\nBulk suspend end to end, ejabberd 23.01, concurrency ${CONCURRENCY}, ${os.cpus().length} CPUs${smoke ? " (smoke)" : ""}\n`,
  );
  printTable(BULK_HEADER, rows);
}
