import { prisma } from "@/core/db";
import { now } from "@/core/clock";
import { getConfig } from "@/core/config";
import { logError, logInfo } from "@/core/log";
import { encryptionKey } from "@/core/secrets";
import { AdapterPool } from "@/provisioning/servers/adapter-pool";
import { setWorkerNudge } from "@/provisioning/queue/nudge";
import { Worker } from "@/provisioning/queue/worker";
import { reportHostKeyProblem } from "@/lib/servers/host-keys";
import { allJobs } from "./handlers";
import { ensureServerSchedules } from "./schedules";

// After a failed attempt: the retry re-reads the server's row (the failure may come from
// settings changed in another process since the adapter was built), and a refused SSH host
// key is reported.
export function onJobError(pool: Pick<AdapterPool, "recheck">) {
  return async (job: { id: string }, error: unknown) => {
    const row = await prisma.job.findUnique({ where: { id: job.id }, select: { serverId: true } });
    if (!row?.serverId) return;
    pool.recheck(row.serverId);
    await reportHostKeyProblem(row.serverId, error);
  };
}

// The console (instrumentation.ts) and `npm run worker` both start the worker through this.
export async function startWorker(
  options: { concurrency?: number } = {},
): Promise<() => Promise<void>> {
  const settings = getConfig().worker;
  const pool = new AdapterPool(prisma, encryptionKey());
  await ensureServerSchedules(prisma, now()).catch((error: Error) =>
    logError("parley", `could not set up schedules yet: ${error.message}`),
  );
  const worker = new Worker({
    db: prisma,
    jobs: allJobs(pool),
    concurrency: options.concurrency ?? settings.concurrency,
    leaseMs: settings.leaseMs,
    prefetch: settings.prefetch,
    schedule: true,
    onError: onJobError(pool),
  });
  worker.start();
  setWorkerNudge(() => worker.nudge());
  logInfo("parley", `provisioning worker ${worker.id} started`);
  return async () => {
    setWorkerNudge(undefined);
    await worker.stop();
    await pool.close();
  };
}
