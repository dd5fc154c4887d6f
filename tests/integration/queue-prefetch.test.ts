import { afterEach, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { prisma } from "@/core/db";
import { enqueueJob, enqueueJobs } from "@/provisioning/queue/enqueue";
import { cancelJob } from "@/provisioning/queue/manage";
import { defineJob } from "@/provisioning/queue/types";
import { Worker } from "@/provisioning/queue/worker";
import { recordingWorker } from "../helpers/recording-worker";

const tag = () => randomBytes(4).toString("hex");
const started: Worker[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((w) => w.stop()));
});

// Jobs that wait for a gate, counting how many run at once.
function gatedJobs() {
  const type = `gated-${tag()}`;
  let open!: () => void;
  const gate = new Promise<void>((r) => (open = r));
  const ran: string[] = [];
  let running = 0;
  let most = 0;
  const job = defineJob({
    type,
    schema: z.object({}),
    async handle(ctx) {
      ran.push(ctx.jobId);
      most = Math.max(most, ++running);
      await gate;
      running--;
    },
  });
  return { type, job, ran, open, most: () => most };
}

function startWorker(
  jobs: Parameters<typeof defineJob>[0][],
  extra: Parameters<typeof recordingWorker>[1] = {},
) {
  const recorded = recordingWorker(jobs, { concurrency: 2, prefetch: 2, ...extra });
  started.push(recorded.worker);
  recorded.worker.start();
  return recorded;
}

const statusOf = async (type: string) => {
  const rows = await prisma.job.findMany({ where: { type }, select: { status: true } });
  return rows.map((r) => r.status).sort();
};

describe(`claiming ahead (${process.env.PARLEY_TEST_DB})`, () => {
  it("holds concurrency + prefetch jobs, runs concurrency at once, and finishes them on stop", async () => {
    const g = gatedJobs();
    await enqueueJobs(
      prisma,
      Array.from({ length: 6 }, () => ({ type: g.type, payload: {} })),
    );
    const { worker } = startWorker([g.job]);
    await expect
      .poll(() => statusOf(g.type))
      .toEqual(["PENDING", "PENDING", "RUNNING", "RUNNING", "RUNNING", "RUNNING"]);
    expect(g.ran).toHaveLength(2);

    // Stopping claims nothing more but runs what it holds.
    const stopping = worker.stop();
    g.open();
    await stopping;
    expect(g.most()).toBe(2);
    expect(g.ran).toHaveLength(4);
    expect(new Set(g.ran).size).toBe(4);
    expect(await statusOf(g.type)).toEqual([
      "PENDING",
      "PENDING",
      "SUCCEEDED",
      "SUCCEEDED",
      "SUCCEEDED",
      "SUCCEEDED",
    ]);
  });

  it("keeps the leases of jobs claimed ahead, and skips one cancelled while it waited", async () => {
    const g = gatedJobs();
    const ids: string[] = [];
    for (let i = 0; i < 4; i++)
      ids.push((await enqueueJob(prisma, { type: g.type, payload: {} })).id);
    const { worker, events } = startWorker([g.job], { leaseMs: 300, heartbeatMs: 50 });
    await expect.poll(() => statusOf(g.type)).toEqual(Array(4).fill("RUNNING"));
    await new Promise((r) => setTimeout(r, 700)); // over twice the lease: heartbeats keep all four
    const other = new Worker({ db: prisma, jobs: [g.job], concurrency: 1, prefetch: 0 });
    expect(await other.runOnce()).toBe(false);

    const waiting = ids.find((id) => !g.ran.includes(id))!;
    expect(await cancelJob(prisma, waiting)).toBe(true);
    await expect
      .poll(() => events.some((e) => e.kind === "lease-lost" && e.jobId === waiting))
      .toBe(true);
    g.open();
    await worker.stop();
    expect(g.ran).toHaveLength(3);
    expect(g.ran).not.toContain(waiting);
    expect(await statusOf(g.type)).toEqual(["CANCELLED", "SUCCEEDED", "SUCCEEDED", "SUCCEEDED"]);
  });

  it("a busy worker claims in batches, its outcomes written with them", async () => {
    const type = `busy-${tag()}`;
    const job = defineJob({
      type,
      schema: z.object({}),
      handle: () => new Promise((r) => setTimeout(r, 20)),
    });
    await enqueueJobs(
      prisma,
      Array.from({ length: 40 }, () => ({ type, payload: {} })),
    );
    const { worker } = startWorker([job], { concurrency: 4, prefetch: 4 });
    await expect
      .poll(() => prisma.job.count({ where: { type, status: "SUCCEEDED" } }), { timeout: 20_000 })
      .toBe(40);
    await worker.stop();
    // Each claim stamps its jobs with one lockedAt: one claim per job would make 40.
    const claims = await prisma.job.groupBy({ by: ["lockedAt"], where: { type } });
    expect(claims.length).toBeLessThan(20);
  });
});
