import { prisma } from "@/lib/db";
import { now } from "@/lib/clock";
import { Worker } from "@/provisioning/queue/worker";
import { AdapterPool } from "@/provisioning/adapter-pool";
import { provisioningJobs } from "@/provisioning/jobs";
import { loadEncryptionKey } from "@/provisioning/secrets";
import { recordHostKeyProblem } from "@/provisioning/host-keys";
import { ensureServerSchedules } from "@/provisioning/schedules";
import { setWorkerNudge } from "@/provisioning/queue/nudge";

// Kept free of server-only imports: the console (instrumentation.ts) and `npm run worker` both use it.
export async function startWorker(options: { concurrency?: number } = {}): Promise<() => Promise<void>> {
  const key = loadEncryptionKey();
  const pool = new AdapterPool(prisma, key);
  await ensureServerSchedules(prisma, now()).catch((error: Error) => console.error(`[parley] could not set up schedules yet: ${error.message}`));
  const worker = new Worker({
    db: prisma,
    jobs: provisioningJobs({ adapterFor: (id) => pool.adapterFor(id) }),
    encryptionKey: key,
    concurrency: options.concurrency ?? Number(process.env.PARLEY_WORKER_CONCURRENCY ?? 4),
    leaseMs: Number(process.env.PARLEY_WORKER_LEASE_MS ?? 60_000),
    schedule: true,
    async onError(job, error) {
      const row = await prisma.job.findUnique({ where: { id: job.id }, select: { serverId: true } });
      if (row?.serverId) await recordHostKeyProblem(prisma, row.serverId, error);
    },
  });
  worker.start();
  setWorkerNudge(() => worker.nudge());
  console.log(`[parley] provisioning worker ${worker.id} started`);
  return async () => {
    setWorkerNudge(undefined);
    await worker.stop();
    await pool.close();
  };
}
