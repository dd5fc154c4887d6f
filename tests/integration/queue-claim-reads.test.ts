import { describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { prisma, sqlOf } from "@/core/db";
import { claimJobs, finishAndClaim } from "@/provisioning/queue/claim";
import type { ClaimRead } from "@/provisioning/queue/claim-reads";
import { enqueueJob } from "@/provisioning/queue/enqueue";
import type { SuccessWrite } from "@/provisioning/queue/success-writes";
import { defineJob } from "@/provisioning/queue/types";
import { Worker } from "@/provisioning/queue/worker";

const tag = () => randomBytes(4).toString("hex");

// Jobs that read another job's row (a marker) first: the Job table stands in for any table.
const MARKER: ClaimRead = {
  name: "marker",
  table: "Job",
  key: "markerId",
  columns: ["id", "type", "lastError"],
};
const NOTE: SuccessWrite = {
  name: "note",
  table: "Job",
  columns: { lastError: "text" },
  set: { postgres: `"lastError" = w."lastError"`, sqlite: `"lastError" = w."lastError"` },
};

describe(`claim reads (${process.env.PARLEY_TEST_DB})`, () => {
  it("hand the handler its row with the claim, null for a missing one", async () => {
    const type = `reads-${tag()}`;
    const markerType = `marker-${tag()}`;
    const marker = await enqueueJob(prisma, { type: markerType, payload: {} });
    await prisma.job.update({ where: { id: marker.id }, data: { lastError: "noted" } });
    const seen = new Map<string, unknown>();
    const job = defineJob({
      type,
      schema: z.object({ markerId: z.string() }),
      read: MARKER,
      async handle(ctx) {
        seen.set(ctx.payload.markerId, ctx.row);
      },
    });
    const plain = defineJob({
      type: `${type}-plain`,
      schema: z.object({ markerId: z.string() }),
      async handle(ctx) {
        seen.set(`plain ${ctx.payload.markerId}`, ctx.row);
      },
    });
    await enqueueJob(prisma, { type, payload: { markerId: marker.id } });
    await enqueueJob(prisma, { type, payload: { markerId: "missing" } });
    await enqueueJob(prisma, { type: plain.type, payload: { markerId: marker.id } });
    const worker = new Worker({ db: prisma, jobs: [job, plain], concurrency: 1 });
    while (await worker.runOnce());

    expect(seen.get(marker.id)).toEqual({ id: marker.id, type: markerType, lastError: "noted" });
    expect(seen.get("missing")).toBeNull();
    // A type without a read gets none, though its payload names a row.
    expect(seen.has(`plain ${marker.id}`)).toBe(true);
    expect(seen.get(`plain ${marker.id}`)).toBeUndefined();
  });

  it("leave out a row that a success write in the same statement changes", async () => {
    const sql = sqlOf(prisma);
    const writer = `writer-${tag()}`;
    const reader = `reader-${tag()}`;
    const markerType = `marker-${tag()}`;
    const marker = await enqueueJob(prisma, { type: markerType, payload: {} });
    const other = await enqueueJob(prisma, { type: markerType, payload: {} });
    await enqueueJob(prisma, { type: writer, payload: {} });
    const [written] = await claimJobs(prisma, "w", new Date(), 60_000, [writer], 1);
    await enqueueJob(prisma, { type: reader, payload: { markerId: marker.id } });
    await enqueueJob(prisma, { type: reader, payload: { markerId: other.id } });

    const { jobs, finished } = await finishAndClaim(
      sql,
      [{ id: written.id, attempt: written.attempt, status: "SUCCEEDED", at: new Date() }],
      [
        {
          write: NOTE,
          jobId: written.id,
          attempt: written.attempt,
          row: { id: marker.id, lastError: "written" },
        },
      ],
      {
        workerId: "w",
        at: new Date(),
        leaseMs: 60_000,
        types: [reader],
        limit: 5,
        reads: [MARKER],
      },
    );
    expect(finished.size).toBe(1);
    const byMarker = new Map(jobs.map((j) => [(j.payload as { markerId: string }).markerId, j]));
    // PostgreSQL read the marker before the write: it is left for the handler to read.
    expect(byMarker.get(marker.id)?.rows).toEqual({});
    expect(byMarker.get(other.id)?.rows).toEqual({
      marker: { id: other.id, type: markerType, lastError: null },
    });
    expect((await prisma.job.findUniqueOrThrow({ where: { id: marker.id } })).lastError).toBe(
      "written",
    );
  });
});
