import type { EjabberdInstance } from "../../tests/harness/ejabberd";
import { switchToMigrated } from "./switch-database";

// The queue side of the provisioning benchmark (and of its profile, bench/queue-profile.ts):
// a migrated database with one ejabberd server, then account.create jobs queued on it the way
// the console queues them (account row and job in one transaction, password sealed).
// What `enqueue` queued; with `held`, its jobs are due in a day, so no worker takes them before
// `release` makes them due.
export type Enqueued = { enqueueSeconds: number; release(): Promise<void> };

export async function prepareQueue(o: {
  ej: EjabberdInstance;
  token: string;
  url: string;
  name: string;
  key: Buffer;
}): Promise<{ enqueue(prefix: string, n: number, held?: boolean): Promise<Enqueued> }> {
  await switchToMigrated(o.url);
  const { prisma } = await import("../../core/db");
  const { seal } = await import("../../core/secrets");
  const { enqueue } = await import("../../lib/jobs/job-types");
  const server = await prisma.server.create({
    data: {
      name: `bench-${o.name}`,
      kind: "EJABBERD",
      domain: o.ej.vhost,
      apiUrl: o.ej.apiUrl,
      apiTokenEnc: seal(o.token, o.key),
    },
  });
  const plan = await prisma.plan.create({
    data: { name: `bench-${o.name}`, seats: 1_000_000, rooms: 0, retentionDays: 0 },
  });
  const customer = await prisma.customer.create({
    data: { name: "Bench", contactEmail: "bench@example.test", planId: plan.id },
  });
  return {
    async enqueue(prefix, n, held = false) {
      const t0 = performance.now();
      const runAt = held ? new Date(Date.now() + 86_400_000) : undefined;
      const accounts: string[] = [];
      for (let i = 0; i < n; i++) {
        await prisma.$transaction(async (tx) => {
          const account = await tx.xmppAccount.create({
            data: {
              customerId: customer.id,
              serverId: server.id,
              localpart: `${prefix}${i}`,
              domain: o.ej.vhost,
            },
          });
          accounts.push(account.id);
          await enqueue(
            tx,
            "account.create",
            { accountId: account.id },
            {
              secret: `pw-${prefix}-${i}-0123456789`,
              serverId: server.id,
              subjectId: account.id,
              runAt,
            },
          );
        });
      }
      return {
        enqueueSeconds: (performance.now() - t0) / 1000,
        // One statement; on PostgreSQL its trigger's NOTIFY wakes the worker.
        async release() {
          await prisma.job.updateMany({
            where: { subjectId: { in: accounts } },
            data: { runAt: new Date() },
          });
        },
      };
    },
  };
}

export async function queueAccounts(o: {
  ej: EjabberdInstance;
  token: string;
  url: string;
  prefix: string;
  n: number;
  key: Buffer;
}): Promise<{ enqueueSeconds: number }> {
  const queue = await prepareQueue({ ...o, name: o.prefix });
  return queue.enqueue(o.prefix, o.n);
}

// A worker with the production handlers, the benchmark's concurrency and no idle polling (it
// wakes on NOTIFY or a nudge), so an idle worker costs nothing while the direct side is timed.
export async function startQueueRunner(o: { concurrency: number; key: Buffer }) {
  const { prisma } = await import("../../core/db");
  const { Worker } = await import("../../provisioning/queue/worker");
  const { AdapterPool } = await import("../../provisioning/servers/adapter-pool");
  const { allJobs } = await import("../../lib/jobs/handlers");
  const pool = new AdapterPool(prisma, o.key);
  // A batch ends when the worker has written its last job's end (the "succeeded" or "dead"
  // event comes after the write). Counting ends in the database instead cost the measured
  // process a query every 100 ms: about 0.1 ms of CPU per account, charged to the queue.
  let ended = 0;
  let target = Infinity;
  let reached = () => {};
  const worker = new Worker({
    db: prisma,
    jobs: allJobs(pool),
    concurrency: o.concurrency,
    pollMs: 3_600_000,
    onEvent: (event) => {
      if ((event.kind === "succeeded" || event.kind === "dead") && ++ended >= target) reached();
    },
  });
  let started = false;
  return {
    // Makes `n` more jobs due (`release`, or starting the worker for jobs already due) and
    // waits until they have ended; the seconds from then to the last end.
    async run(n: number, release?: () => Promise<void>): Promise<{ seconds: number }> {
      const done = new Promise<void>((resolve) => (reached = resolve));
      target = ended + n;
      const t0 = performance.now();
      await release?.();
      if (!started) worker.start();
      started = true;
      worker.nudge();
      await done;
      return { seconds: (performance.now() - t0) / 1000 };
    },
    // Stops the worker; fails if any job failed.
    async stop(): Promise<void> {
      await worker.stop();
      await pool.close();
      const failed = await prisma.job.findFirst({ where: { status: "FAILED" } });
      if (failed) throw new Error(`jobs failed, the first with: ${failed.lastError}`);
    },
  };
}

// Runs a worker until all `n` queued jobs (due already) have ended; fails if any failed.
export async function runQueuedAccounts(o: {
  n: number;
  concurrency: number;
  key: Buffer;
  // Called right before the worker starts and right after the last job ended.
  around?: { start(): void | Promise<void>; stop(): void };
}): Promise<{ seconds: number }> {
  const runner = await startQueueRunner(o);
  await o.around?.start();
  const { seconds } = await runner.run(o.n);
  o.around?.stop();
  await runner.stop();
  return { seconds };
}
