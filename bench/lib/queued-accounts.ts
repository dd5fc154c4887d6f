import type { EjabberdInstance } from "../../tests/harness/ejabberd";
import { switchToMigrated } from "./switch-database";

// The queue side of the provisioning benchmark (and of its profile, bench/queue-profile.ts):
// a migrated database with one ejabberd server, then account.create jobs queued on it the way
// the console queues them (account row and job in one transaction, password sealed).
export async function prepareQueue(o: {
  ej: EjabberdInstance;
  token: string;
  url: string;
  name: string;
  key: Buffer;
}): Promise<{ enqueue(prefix: string, n: number): Promise<{ enqueueSeconds: number }> }> {
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
    async enqueue(prefix, n) {
      const t0 = performance.now();
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
          await enqueue(
            tx,
            "account.create",
            { accountId: account.id },
            { secret: `pw-${prefix}-${i}-0123456789`, serverId: server.id, subjectId: account.id },
          );
        });
      }
      return { enqueueSeconds: (performance.now() - t0) / 1000 };
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

// Runs a worker with the production handlers until all `n` jobs have ended; fails if any failed.
export async function runQueuedAccounts(o: {
  n: number;
  concurrency: number;
  key: Buffer;
  // Called right before the worker starts and right after the last job ended.
  around?: { start(): void | Promise<void>; stop(): void };
}): Promise<{ seconds: number }> {
  const { prisma } = await import("../../core/db");
  const { Worker } = await import("../../provisioning/queue/worker");
  const { AdapterPool } = await import("../../provisioning/servers/adapter-pool");
  const { allJobs } = await import("../../lib/jobs/handlers");
  const pool = new AdapterPool(prisma, o.key);
  // The run ends when the worker has written the n-th job's end (its "succeeded" or "dead"
  // event comes after the write). Counting ends in the database instead cost the measured
  // process a query every 100 ms: about 0.1 ms of CPU per account, charged to the queue.
  let ended = 0;
  let allEnded = () => {};
  const done = new Promise<void>((resolve) => (allEnded = resolve));
  const worker = new Worker({
    db: prisma,
    jobs: allJobs(pool),
    concurrency: o.concurrency,
    pollMs: 20,
    onEvent: (event) => {
      if ((event.kind === "succeeded" || event.kind === "dead") && ++ended >= o.n) allEnded();
    },
  });
  await o.around?.start();
  const started = performance.now();
  worker.start();
  await done;
  const seconds = (performance.now() - started) / 1000;
  o.around?.stop();
  await worker.stop();
  await pool.close();
  const failed = await prisma.job.count({ where: { status: "FAILED" } });
  if (failed)
    throw new Error(
      `${failed} jobs failed: ${(await prisma.job.findFirst({ where: { status: "FAILED" } }))?.lastError}`,
    );
  return { seconds };
}
