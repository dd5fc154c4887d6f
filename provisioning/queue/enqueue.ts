import type { DB } from "@/core/db";
import { now } from "@/core/clock";
import { seal } from "@/core/secrets";
import { currentBulkTag } from "./job-tag";

export type EnqueueOptions = {
  // Same key → the same job: enqueueing twice does nothing the second time.
  idempotencyKey?: string;
  runAt?: Date;
  maxAttempts?: number;
  // Sealed with the encryption key, opened only by the worker, wiped when the job ends.
  secret?: string;
  serverId?: string | null;
  customerId?: string | null;
  subjectId?: string | null;
  createdById?: string | null;
};

export type JobRow = EnqueueOptions & { type: string; payload: Record<string, unknown> };

export type JobWriter = Pick<DB, "job">;

function jobData(input: JobRow, at = now()) {
  return {
    type: input.type,
    payload: input.payload as never,
    secretEnc: input.secret !== undefined ? seal(input.secret) : null,
    idempotencyKey: input.idempotencyKey ?? null,
    runAt: input.runAt ?? at,
    createdAt: at,
    ...(input.maxAttempts ? { maxAttempts: input.maxAttempts } : {}),
    serverId: input.serverId ?? null,
    customerId: input.customerId ?? null,
    subjectId: input.subjectId ?? null,
    createdById: input.createdById ?? null,
    bulkOperationId: currentBulkTag(),
  };
}

// The engine's untyped entry point; domain code enqueues through its typed registry.
export async function enqueueJob(
  db: JobWriter,
  input: JobRow,
): Promise<{ id: string; created: boolean }> {
  const key = input.idempotencyKey;
  if (key) {
    const existing = await db.job.findUnique({
      where: { idempotencyKey: key },
      select: { id: true },
    });
    if (existing) return { id: existing.id, created: false };
  }
  try {
    const job = await db.job.create({ data: jobData(input), select: { id: true } });
    return { id: job.id, created: true };
  } catch (error) {
    // A concurrent enqueue with the same key won the race.
    if ((error as { code?: string }).code === "P2002" && key) {
      const existing = await db.job.findUniqueOrThrow({
        where: { idempotencyKey: key },
        select: { id: true },
      });
      return { id: existing.id, created: false };
    }
    throw error;
  }
}

const BATCH = 500;

// Many jobs in a few statements (a reconcile may queue thousands of repairs): the keys that
// already exist are read per batch and skipped, the rest inserted together. If a concurrent
// enqueue takes a key in between, that batch falls back to one enqueueJob per row. Returns how
// many jobs were created.
export async function enqueueJobs(db: JobWriter, inputs: JobRow[]): Promise<number> {
  let created = 0;
  for (let i = 0; i < inputs.length; i += BATCH) {
    const batch = inputs.slice(i, i + BATCH);
    const keys = batch.flatMap((b) => (b.idempotencyKey ? [b.idempotencyKey] : []));
    const taken = new Set(
      keys.length
        ? (
            await db.job.findMany({
              where: { idempotencyKey: { in: keys } },
              select: { idempotencyKey: true },
            })
          ).map((j) => j.idempotencyKey)
        : [],
    );
    const fresh = batch.filter((b) => !b.idempotencyKey || !taken.has(b.idempotencyKey));
    try {
      const at = now();
      created += (await db.job.createMany({ data: fresh.map((row) => jobData(row, at)) })).count;
    } catch (error) {
      if ((error as { code?: string }).code !== "P2002") throw error;
      for (const row of fresh) if ((await enqueueJob(db, row)).created) created++;
    }
  }
  return created;
}
