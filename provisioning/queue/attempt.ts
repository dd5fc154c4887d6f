import type { DB } from "@/core/db";
import { open } from "@/core/secrets";
import type { ClaimedJob } from "./claim";
import type { PendingWrite } from "./success-writes";
import type { JobContext, JobDefinition } from "./types";

export type AttemptOutcome =
  { ok: true; result: unknown; writes: PendingWrite[] } | { ok: false; error: unknown };

type PendingStep = { key: string; result: unknown };

// Runs one claimed attempt's handler. Step results are kept in memory and written only before
// the next step runs or when the attempt fails: a job that succeeds in one go writes none.
export async function runAttempt(
  job: ClaimedJob,
  o: { db: DB; definition: JobDefinition; signal: AbortSignal; key: () => Buffer },
): Promise<AttemptOutcome> {
  const pending: PendingStep[] = [];
  try {
    if (job.attempt > job.maxAttempts)
      throw Object.assign(new Error(`Gave up after ${job.maxAttempts} attempts`), {
        permanent: true,
      });
    const parsed = o.definition.schema.safeParse(job.payload);
    if (!parsed.success)
      throw Object.assign(
        new Error(
          `Invalid payload: ${parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}`,
        ),
        { permanent: true },
      );
    let secret: string | null | undefined;
    const writes: PendingWrite[] = [];
    const ctx: JobContext<unknown> = {
      jobId: job.id,
      attempt: job.attempt,
      payload: parsed.data,
      // Opened when the handler first asks.
      get secret() {
        return (secret ??= job.secretEnc ? open(job.secretEnc, o.key()) : null);
      },
      db: o.db,
      row: o.definition.read ? job.rows[o.definition.read.name] : undefined,
      signal: o.signal,
      step: (key, fn) => step(o.db, job, key, fn, o.signal, pending),
      progress: async (note) => {
        await o.db.job.updateMany({
          where: { id: job.id, attempts: job.attempt, status: "RUNNING" },
          data: { result: { progress: note } as never },
        });
      },
      onSuccess: (write, row) => writes.push({ write, jobId: job.id, attempt: job.attempt, row }),
    };
    return { ok: true, result: await o.definition.handle(ctx), writes };
  } catch (error) {
    await flushSteps(o.db, job, pending).catch(() => undefined);
    return { ok: false, error };
  }
}

async function step<T>(
  db: DB,
  job: ClaimedJob,
  key: string,
  fn: () => Promise<T>,
  signal: AbortSignal,
  pending: PendingStep[],
): Promise<T> {
  const inMemory = pending.find((p) => p.key === key);
  if (inMemory) return inMemory.result as T;
  // Only a retried job can have stored steps.
  if (job.attempt > 1) {
    const done = await db.jobStep.findUnique({
      where: { jobId_key: { jobId: job.id, key } },
      select: { result: true },
    });
    if (done) return done.result as T;
  }
  await flushSteps(db, job, pending);
  signal.throwIfAborted();
  const result = await fn();
  signal.throwIfAborted();
  pending.push({ key, result: result ?? null });
  return result;
}

async function flushSteps(db: DB, job: ClaimedJob, pending: PendingStep[]): Promise<void> {
  while (pending.length) {
    const done = pending.shift()!;
    try {
      await db.jobStep.create({
        data: { jobId: job.id, key: done.key, result: done.result as never },
      });
    } catch (error) {
      if ((error as { code?: string }).code !== "P2002") throw error;
    }
  }
}
