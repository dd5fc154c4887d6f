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

function jobData(input: JobRow, at: Date) {
  return {
    type: input.type,
    payload: input.payload as never,
    secretEnc: input.secret !== undefined ? seal(input.secret) : null,
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
    const job = await db.job.create({
      data: { ...jobData(input, now()), idempotencyKey: key ?? null },
      select: { id: true },
    });
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

// Many jobs without idempotency keys in one statement (a bulk operation's batch).
export async function enqueueMany(db: JobWriter, rows: JobRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const at = now();
  const created = await db.job.createMany({ data: rows.map((row) => jobData(row, at)) });
  return created.count;
}
