// Pure queue overhead: jobs whose handler does nothing, on SQLite, to see the cost per job.
//   node scripts/run-ts.mjs bench/queue-overhead.ts
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { deployMigrations } from "../scripts/lib/schema-engine.mjs";

const N = 1000;
const dir = mkdtempSync(path.join(os.tmpdir(), "parley-qo-"));
const url = process.argv[3] ?? `file:${dir}/q.db`;
process.env.DATABASE_URL = url;
await deployMigrations({ url, log: () => undefined });
const { prisma } = await import("../core/db");
const { enqueueJob } = await import("../provisioning/queue/enqueue");
const { Worker } = await import("../provisioning/queue/worker");
const { defineJob } = await import("../provisioning/queue/types");
const job = defineJob({
  type: "noop",
  schema: z.object({ i: z.number() }),
  async handle(ctx) {
    return ctx.step("one", async () => ctx.payload.i);
  },
});
for (let i = 0; i < N; i++) await enqueueJob(prisma, { type: "noop", payload: { i } });
const worker = new Worker({
  db: prisma,
  jobs: [job],
  encryptionKey: randomBytes(32),
  concurrency: 8,
  pollMs: 5,
});
const cpu = process.cpuUsage();
const t0 = performance.now();
worker.start();
while ((await prisma.job.count({ where: { status: "SUCCEEDED" } })) < N)
  await new Promise((r) => setTimeout(r, 100));
const s = (performance.now() - t0) / 1000;
const used = process.cpuUsage(cpu);
await worker.stop();
console.log(
  `${N} no-op jobs in ${s.toFixed(2)} s = ${(N / s).toFixed(0)} jobs/s (${((s / N) * 1000).toFixed(2)} ms per job, ` +
    `${((used.user + used.system) / 1000 / N).toFixed(2)} ms CPU per job)`,
);
await prisma.$disconnect();
rmSync(dir, { recursive: true, force: true });
