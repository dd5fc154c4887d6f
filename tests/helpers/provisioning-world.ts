import { randomBytes } from "node:crypto";
import { prisma } from "@/core/db";
import { parseKey, seal } from "@/core/secrets";
import { AdapterPool } from "@/provisioning/servers/adapter-pool";
import { allJobs } from "@/lib/jobs/handlers";
import { Worker, type WorkerEvent } from "@/provisioning/queue/worker";
import type { EjabberdInstance } from "../harness/ejabberd";

// The encryption key the test setup put in the environment (what the console would use).
export function testKey(): Buffer {
  return parseKey(process.env.PARLEY_ENCRYPTION_KEY!);
}

export async function registerEjabberd(instance: EjabberdInstance, token: string) {
  return prisma.server.create({
    data: {
      name: `ejabberd ${randomBytes(3).toString("hex")}`,
      kind: "EJABBERD",
      domain: instance.vhost,
      mucDomain: instance.mucDomain,
      apiUrl: instance.apiUrl,
      apiTokenEnc: seal(token, testKey()),
      isDefault: true,
    },
  });
}

export async function customerWithSeats(seats: number, rooms = 10) {
  const plan = await prisma.plan.create({
    data: { name: `Plan ${randomBytes(3).toString("hex")}`, seats, rooms, retentionDays: 7 },
  });
  return prisma.customer.create({
    data: { name: "Fault Test Ltd", contactEmail: "ops@fault.test", planId: plan.id },
  });
}

export function startTestWorker(options: Partial<ConstructorParameters<typeof Worker>[0]> = {}) {
  const pool = new AdapterPool(prisma, testKey());
  const events: WorkerEvent[] = [];
  const worker = new Worker({
    db: prisma,
    jobs: allJobs(pool),
    concurrency: 8,
    pollMs: 50,
    leaseMs: 10_000,
    backoff: () => 300,
    onEvent: (e) => events.push(e),
    ...options,
  });
  worker.start();
  return {
    worker,
    events,
    pool,
    async stop() {
      await worker.stop();
      await pool.close();
    },
  };
}
