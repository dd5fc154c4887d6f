import { describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { prisma } from "@/core/db";
import { enqueueJob } from "@/provisioning/queue/enqueue";
import { cancelJob } from "@/provisioning/queue/manage";
import type { SuccessWrite } from "@/provisioning/queue/success-writes";
import { defineJob } from "@/provisioning/queue/types";
import { Worker, type WorkerEvent } from "@/provisioning/queue/worker";

const tag = () => randomBytes(4).toString("hex");

// A write on another row (a marker job's lastError), made with the job's success.
const NOTE: SuccessWrite = {
  name: "note",
  table: "Job",
  columns: { lastError: "text" },
  set: { postgres: `"lastError" = w."lastError"`, sqlite: `"lastError" = w."lastError"` },
};

async function setUp(handle: (ctx: { marker: string; write(): void }) => Promise<unknown>) {
  const marker = await enqueueJob(prisma, { type: `marker-${tag()}`, payload: {} });
  const type = `writes-${tag()}`;
  const job = defineJob({
    type,
    schema: z.object({}),
    async handle(ctx) {
      return handle({
        marker: marker.id,
        write: () => ctx.onSuccess(NOTE, { id: marker.id, lastError: `by ${ctx.jobId}` }),
      });
    },
  });
  const events: WorkerEvent[] = [];
  const worker = new Worker({
    db: prisma,
    jobs: [job],
    concurrency: 1,
    pollMs: 20,
    backoff: () => 3_600_000,
    onEvent: (e) => events.push(e),
  });
  const note = async () =>
    (await prisma.job.findUniqueOrThrow({ where: { id: marker.id } })).lastError;
  return { type, worker, events, note };
}

describe(`success writes (${process.env.PARLEY_TEST_DB})`, () => {
  it("land with the outcome, written alone or with the next claim", async () => {
    const once = await setUp(async ({ write }) => write());
    const a = await enqueueJob(prisma, { type: once.type, payload: {} });
    await once.worker.runOnce();
    expect(await once.note()).toBe(`by ${a.id}`);

    // A started worker writes the outcome with its next claim (one statement on PostgreSQL).
    const looping = await setUp(async ({ write }) => write());
    const b = await enqueueJob(prisma, { type: looping.type, payload: {} });
    looping.worker.start();
    await expect.poll(looping.note).toBe(`by ${b.id}`);
    await looping.worker.stop();
    expect(looping.events.map((e) => e.kind)).toEqual(["started", "succeeded"]);
  });

  it("are not made when the attempt fails or no longer holds its job", async () => {
    const failing = await setUp(async ({ write }) => {
      write();
      throw new Error("server refused");
    });
    await enqueueJob(prisma, { type: failing.type, payload: {} });
    await failing.worker.runOnce();
    expect(failing.events.map((e) => e.kind)).toEqual(["started", "retrying"]);
    expect(await failing.note()).toBeNull();

    let release!: () => void;
    const fenced = await setUp(async ({ write }) => {
      await new Promise<void>((r) => (release = r));
      write();
    });
    const c = await enqueueJob(prisma, { type: fenced.type, payload: {} });
    const running = fenced.worker.runOnce();
    await expect
      .poll(async () => (await prisma.job.findUniqueOrThrow({ where: { id: c.id } })).status)
      .toBe("RUNNING");
    expect(await cancelJob(prisma, c.id)).toBe(true);
    release();
    await running;
    expect(fenced.events.map((e) => e.kind)).toEqual(["started", "late-result-rejected"]);
    expect(await fenced.note()).toBeNull();
  });
});
