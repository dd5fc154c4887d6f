import { afterEach, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { prisma } from "@/core/db";
import { resetClock, setClock } from "@/core/clock";
import { enqueueJob as enqueue } from "@/provisioning/queue/enqueue";
import { Worker } from "@/provisioning/queue/worker";
import { defineJob, PermanentJobError } from "@/provisioning/queue/types";
import { ensureSchedule, runDueSchedules } from "@/provisioning/queue/scheduler";
import { cancelJob, retryJob } from "@/provisioning/queue/manage";
import { backoffMs } from "@/provisioning/queue/backoff";
import { recordingWorker } from "../helpers/recording-worker";

const tag = () => randomBytes(4).toString("hex");
afterEach(() => resetClock());

async function drain(worker: Worker, max = 50) {
  for (let i = 0; i < max && (await worker.runOnce()); i++);
}

describe("enqueue", () => {
  it("is idempotent on its key, also when racing", async () => {
    const k = `idem-${tag()}`;
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        enqueue(prisma, { type: "noop", payload: {}, idempotencyKey: k }),
      ),
    );
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(await prisma.job.count({ where: { idempotencyKey: k } })).toBe(1);
  });
});

describe("worker", () => {
  it("retries with backoff, resumes at the failed step, and wipes the secret when done", async () => {
    const type = `steps-${tag()}`;
    const calls = { first: 0, second: 0 };
    let seenSecret: string | null = null;
    const job = defineJob({
      type,
      schema: z.object({ n: z.number() }),
      async handle(ctx) {
        seenSecret = ctx.secret;
        await ctx.step("first", async () => {
          calls.first++;
          return "one";
        });
        return ctx.step("second", async () => {
          calls.second++;
          if (calls.second === 1) throw new Error("server unreachable");
          return ctx.payload.n * 2;
        });
      },
    });
    const { worker, events } = recordingWorker([job]);
    const { id } = await enqueue(prisma, { type, payload: { n: 21 }, secret: "s3cret-pass" });
    expect((await prisma.job.findUniqueOrThrow({ where: { id } })).secretEnc).not.toContain(
      "s3cret",
    );

    await worker.runOnce();
    let row = await prisma.job.findUniqueOrThrow({ where: { id } });
    expect(row.status).toBe("PENDING");
    expect(row.lastError).toBe("server unreachable");
    expect(row.runAt.getTime()).toBeGreaterThan(Date.now());
    expect(await worker.runOnce()).toBe(false); // not due yet

    setClock(() => new Date(Date.now() + 60_000));
    await worker.runOnce();
    row = await prisma.job.findUniqueOrThrow({ where: { id } });
    expect(row.status).toBe("SUCCEEDED");
    expect(row.result).toBe(42);
    expect(row.secretEnc).toBeNull();
    expect(calls).toEqual({ first: 1, second: 2 });
    expect(seenSecret).toBe("s3cret-pass");
    expect(events.map((e) => e.kind)).toEqual(["started", "retrying", "started", "succeeded"]);
  });

  it("dead-letters a permanent error at once and an exhausted job after its attempts, wiping secrets", async () => {
    const permanent = defineJob({
      type: `perm-${tag()}`,
      schema: z.object({}),
      async handle() {
        throw new PermanentJobError("Malformed username");
      },
    });
    const flaky = defineJob({
      type: `flaky-${tag()}`,
      schema: z.object({}),
      async handle() {
        throw new Error("timeout");
      },
    });
    const { worker } = recordingWorker([permanent, flaky]);
    const a = await enqueue(prisma, { type: permanent.type, payload: {}, secret: "x" });
    const b = await enqueue(prisma, { type: flaky.type, payload: {}, maxAttempts: 3, secret: "y" });
    for (let i = 0; i < 5; i++) {
      setClock(() => new Date(Date.now() + (i + 1) * 3_600_000));
      await drain(worker);
    }
    const [ra, rb] = await Promise.all([
      prisma.job.findUniqueOrThrow({ where: { id: a.id } }),
      prisma.job.findUniqueOrThrow({ where: { id: b.id } }),
    ]);
    expect([ra.status, ra.attempts, ra.lastError, ra.secretEnc]).toEqual([
      "FAILED",
      1,
      "Malformed username",
      null,
    ]);
    expect([rb.status, rb.attempts, rb.lastError, rb.secretEnc]).toEqual([
      "FAILED",
      3,
      "timeout",
      null,
    ]);
  });

  it("rejects an invalid payload with a readable error and no retry", async () => {
    const job = defineJob({
      type: `typed-${tag()}`,
      schema: z.object({ localpart: z.string() }),
      async handle() {
        return "never";
      },
    });
    const { worker } = recordingWorker([job]);
    const { id } = await enqueue(prisma, { type: job.type, payload: { localpart: 7 } });
    await worker.runOnce();
    const row = await prisma.job.findUniqueOrThrow({ where: { id } });
    expect(row.status).toBe("FAILED");
    expect(row.lastError).toMatch(/^Invalid payload: localpart/);
  });

  it("a job whose worker died mid-way is taken over when the lease runs out", async () => {
    const type = `orphan-${tag()}`;
    let release!: () => void;
    const job = defineJob({
      type,
      schema: z.object({}),
      async handle(ctx) {
        if (ctx.attempt === 1)
          await new Promise<void>((r) => {
            release = r;
          });
        return `done by attempt ${ctx.attempt}`;
      },
    });
    const dying = recordingWorker([job], { leaseMs: 30_000, heartbeatMs: 3_600_000 });
    const { id } = await enqueue(prisma, { type, payload: {} });
    void dying.worker.runOnce(); // claims, then hangs as if the process had been killed
    await expect
      .poll(async () => (await prisma.job.findUniqueOrThrow({ where: { id } })).status)
      .toBe("RUNNING");

    const heir = recordingWorker([job]);
    expect(await heir.worker.runOnce()).toBe(false); // lease still valid
    setClock(() => new Date(Date.now() + 31_000));
    expect(await heir.worker.runOnce()).toBe(true);
    const row = await prisma.job.findUniqueOrThrow({ where: { id } });
    expect([row.status, row.result]).toEqual(["SUCCEEDED", "done by attempt 2"]);

    // The first worker wakes up late: its result must not overwrite the finished job.
    release();
    await expect
      .poll(() => dying.events.map((e) => e.kind).includes("late-result-rejected"))
      .toBe(true);
    expect((await prisma.job.findUniqueOrThrow({ where: { id } })).result).toBe(
      "done by attempt 2",
    );
    await Promise.all([dying.worker.flushRuns(), heir.worker.flushRuns()]);
    const runs = await prisma.jobRun.findMany({
      where: { jobId: id },
      orderBy: { attempt: "asc" },
    });
    expect(runs.map((r) => r.outcome)).toEqual(["rejected-late", "succeeded"]);
  });

  it("a slow worker's heartbeat keeps its lease; cancelling fences it out", async () => {
    const type = `slow-${tag()}`;
    let release!: () => void;
    const job = defineJob({
      type,
      schema: z.object({}),
      async handle() {
        await new Promise<void>((r) => {
          release = r;
        });
        return "late";
      },
    });
    const slow = recordingWorker([job], { leaseMs: 300, heartbeatMs: 50 });
    const { id } = await enqueue(prisma, { type, payload: {} });
    void slow.worker.runOnce();
    await expect
      .poll(async () => (await prisma.job.findUniqueOrThrow({ where: { id } })).status)
      .toBe("RUNNING");
    await new Promise((r) => setTimeout(r, 600)); // twice the lease: only heartbeats keep it
    const other = recordingWorker([job]);
    expect(await other.worker.runOnce()).toBe(false);
    expect(await cancelJob(prisma, id)).toBe(true);
    release();
    await expect.poll(() => slow.events.some((e) => e.kind === "late-result-rejected")).toBe(true);
    expect((await prisma.job.findUniqueOrThrow({ where: { id } })).status).toBe("CANCELLED");
    expect(await retryJob(prisma, id)).toBe(true);
    expect((await prisma.job.findUniqueOrThrow({ where: { id } })).status).toBe("PENDING");
  });

  it("two workers process 500 jobs, each exactly once, with no overlapping runs", async () => {
    const type = `bulk-${tag()}`;
    const executions = new Map<string, number>();
    const job = defineJob({
      type,
      schema: z.object({ i: z.number() }),
      async handle(ctx) {
        executions.set(ctx.jobId, (executions.get(ctx.jobId) ?? 0) + 1);
        await new Promise((r) => setTimeout(r, 1));
        return ctx.payload.i;
      },
    });
    for (let i = 0; i < 500; i += 100) {
      await Promise.all(
        Array.from({ length: 100 }, (_, j) => enqueue(prisma, { type, payload: { i: i + j } })),
      );
    }
    const a = recordingWorker([job], { concurrency: 4, workerId: "worker-a", pollMs: 10 });
    const b = recordingWorker([job], { concurrency: 4, workerId: "worker-b", pollMs: 10 });
    a.worker.start();
    b.worker.start();
    await expect
      .poll(() => prisma.job.count({ where: { type, status: "SUCCEEDED" } }), {
        timeout: 120_000,
        interval: 200,
      })
      .toBe(500);
    await Promise.all([a.worker.stop(), b.worker.stop()]);

    expect(executions.size).toBe(500);
    expect([...executions.values()].every((n) => n === 1)).toBe(true);
    const runs = await prisma.jobRun.findMany({
      where: { job: { type } },
      orderBy: [{ jobId: "asc" }, { startedAt: "asc" }],
    });
    expect(new Set(runs.map((r) => r.workerId))).toEqual(new Set(["worker-a", "worker-b"]));
    const grouped = new Map<string, typeof runs>();
    for (const run of runs) grouped.set(run.jobId, [...(grouped.get(run.jobId) ?? []), run]);
    for (const jobRuns of grouped.values()) {
      for (let i = 1; i < jobRuns.length; i++) {
        expect(jobRuns[i].startedAt.getTime()).toBeGreaterThanOrEqual(
          jobRuns[i - 1].endedAt!.getTime(),
        );
      }
      expect(jobRuns.filter((r) => r.outcome === "succeeded")).toHaveLength(1);
    }
  }, 180_000);
});

describe("scheduler", () => {
  it("enqueues each due slot once, also with several schedulers at once", async () => {
    const name = `reconcile-${tag()}`;
    const t0 = new Date("2027-01-01T00:00:00Z");
    await ensureSchedule(
      prisma,
      { name, jobType: "noop", payload: { x: 1 }, intervalSeconds: 3600 },
      t0,
    );
    const counts = await Promise.all([
      runDueSchedules(prisma, t0),
      runDueSchedules(prisma, t0),
      runDueSchedules(prisma, t0),
    ]);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(1);
    expect(await runDueSchedules(prisma, new Date(t0.getTime() + 1_800_000))).toBe(0);
    expect(await runDueSchedules(prisma, new Date(t0.getTime() + 3_600_000))).toBe(1);
    expect(
      await prisma.job.count({ where: { idempotencyKey: { startsWith: `schedule:${name}:` } } }),
    ).toBe(2);
  });
});

describe("backoff", () => {
  it("grows exponentially with jitter and is capped", () => {
    expect(backoffMs(1, () => 0)).toBe(1_000);
    expect(backoffMs(1, () => 1)).toBe(2_000);
    expect(backoffMs(4, () => 1)).toBe(16_000);
    expect(backoffMs(30, () => 1)).toBe(600_000);
  });
});
