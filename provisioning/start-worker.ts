import { prisma } from "@/core/db";
import { now } from "@/core/clock";
import { Worker } from "@/provisioning/queue/worker";
import { AdapterPool } from "@/provisioning/servers/adapter-pool";
import { provisioningJobs } from "@/provisioning/jobs";
import { encryptionKey } from "@/core/secrets";
import { recordHostKeyProblem } from "@/provisioning/host-keys";
import { ensureServerSchedules } from "@/provisioning/schedules";
import { setWorkerNudge } from "@/provisioning/queue/nudge";

// Kept free of server-only imports: the console (instrumentation.ts) and `npm run worker` both use it.
export async function startWorker(options: { concurrency?: number } = {}): Promise<() => Promise<void>> {
  const key = encryptionKey();
  const pool = new AdapterPool(prisma, key);
  await ensureServerSchedules(prisma, now()).catch((error: Error) => console.error(`[parley] could not set up schedules yet: ${error.message}`));
  const worker = new Worker({
    db: prisma,
    jobs: provisioningJobs({ adapterFor: (id) => pool.adapterFor(id), encryptionKey: key }),
    encryptionKey: key,
    concurrency: options.concurrency ?? Number(process.env.PARLEY_WORKER_CONCURRENCY ?? 4),
    leaseMs: Number(process.env.PARLEY_WORKER_LEASE_MS ?? 60_000),
    schedule: true,
    async onError(job, error) {
      const row = await prisma.job.findUnique({ where: { id: job.id }, select: { serverId: true } });
      if (!row?.serverId) return;
      if ((await recordHostKeyProblem(prisma, row.serverId, error)) === "changed") {
        const server = await prisma.server.findUnique({ where: { id: row.serverId }, select: { name: true } });
        const { notifyRole } = await import("@/lib/notifications/notify");
        await notifyRole("ADMIN", {
          title: `SSH host key of ${server?.name ?? "a server"} changed`,
          body: "Parley stopped sending jobs to it. Check with the server's administrator before approving the new key.",
          link: `/console/servers/${row.serverId}`, email: true,
        });
      }
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
