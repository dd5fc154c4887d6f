import { randomBytes } from "node:crypto";
import os from "node:os";
import type { DB } from "@/core/db";
import { now as clockNow } from "@/core/clock";
import { encryptionKey, open } from "@/core/secrets";
import { logError } from "@/core/log";
import { backoffMs } from "./backoff";
import { claimJobs, type ClaimedJob } from "./claim";
import { isPermanent, type JobContext, type JobDefinition } from "./types";
import { runDueSchedules } from "./scheduler";

export type WorkerEvent = {
  kind: "started" | "succeeded" | "retrying" | "dead" | "late-result-rejected" | "lease-lost";
  jobId: string;
  type: string;
  attempt: number;
  error?: string;
};

type RunRecord = {
  jobId: string;
  attempt: number;
  workerId: string;
  startedAt: Date;
  endedAt: Date;
  outcome: string;
  error: string | null;
};

export type WorkerOptions = {
  db: DB;
  jobs: JobDefinition[];
  // Opens the jobs' sealed secrets (default: the configured key).
  encryptionKey?: Buffer;
  workerId?: string;
  concurrency?: number;
  leaseMs?: number;
  heartbeatMs?: number;
  pollMs?: number;
  // Delay before the next attempt (default: exponential with jitter, 2 s … 10 min).
  backoff?: (attempt: number) => number;
  // Run the scheduler from this worker (one per deployment is enough; duplicates are harmless).
  schedule?: boolean;
  onEvent?: (event: WorkerEvent) => void;
  // Sees the raw error of a failed attempt (e.g. to flag a changed SSH host key on the server).
  onError?: (
    job: { id: string; type: string; serverId?: string },
    error: unknown,
  ) => Promise<void> | void;
};

// Messages are kept short and one line: they are shown in the console's Jobs page.
function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\s+/g, " ").slice(0, 500);
}

export class Worker {
  readonly id: string;
  private readonly db: DB;
  private readonly jobs: Map<string, JobDefinition>;
  private readonly concurrency: number;
  private readonly leaseMs: number;
  private readonly heartbeatMs: number;
  private readonly pollMs: number;
  private running = false;
  private loops: Promise<void>[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  // Run history is written in batches (one insert for many attempts): it is a record, not
  // state the queue depends on, so a crash may lose the last few rows and nothing else.
  private runs: RunRecord[] = [];
  private flushingRuns: Promise<void> | null = null;
  private wake: (() => void)[] = [];

  constructor(private readonly options: WorkerOptions) {
    this.id =
      options.workerId ?? `${os.hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
    this.db = options.db;
    this.jobs = new Map(options.jobs.map((j) => [j.type, j]));
    this.concurrency = options.concurrency ?? 4;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.heartbeatMs = options.heartbeatMs ?? Math.max(50, Math.floor(this.leaseMs / 3));
    this.pollMs = options.pollMs ?? 1_000;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loops = [this.dispatch()];
  }

  // Stops claiming and waits for the jobs in hand to finish.
  async stop(): Promise<void> {
    this.running = false;
    this.wake.splice(0).forEach((w) => w());
    await Promise.all(this.loops);
    await Promise.all(this.inFlight);
    this.loops = [];
    await this.flushRuns();
  }

  private recordRun(run: RunRecord): void {
    this.runs.push(run);
    if (this.runs.length >= 32) void this.flushRuns();
    else
      this.flushingRuns ??= new Promise<void>((resolve) => setTimeout(resolve, 200)).then(() => {
        this.flushingRuns = null;
        return this.flushRuns();
      });
  }

  async flushRuns(): Promise<void> {
    const batch = this.runs.splice(0);
    if (batch.length === 0) return;
    try {
      await this.db.jobRun.createMany({ data: batch });
    } catch (error) {
      logError(
        `worker ${this.id}`,
        `could not record ${batch.length} job runs: ${describe(error)}`,
      );
    }
  }

  // Wakes the dispatcher, e.g. right after something was enqueued in this process.
  nudge(): void {
    this.wake.splice(0).forEach((w) => w());
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  // Claims as many jobs as there are free slots, in one go, and runs them concurrently.
  private async dispatch(): Promise<void> {
    while (this.running) {
      let claimed = 0;
      try {
        if (this.options.schedule) await runDueSchedules(this.db, clockNow());
        const free = this.concurrency - this.inFlight.size;
        if (free > 0) {
          const jobs = await claimJobs(
            this.db,
            this.id,
            clockNow(),
            this.leaseMs,
            [...this.jobs.keys()],
            free,
          );
          claimed = jobs.length;
          for (const job of jobs) this.track(this.execute(job));
        }
      } catch (error) {
        logError(`worker ${this.id}`, describe(error));
      }
      if (!this.running) break;
      if (claimed === 0) await this.sleep(this.pollMs);
      // Claim in batches: wait until a quarter of the slots are free (or the poll interval
      // passed), so busy workers spend one claim on several jobs.
      const batch = Math.max(1, Math.floor(this.concurrency / 4));
      const deadline = Date.now() + this.pollMs;
      while (
        this.running &&
        this.concurrency - this.inFlight.size < batch &&
        Date.now() < deadline
      ) {
        await Promise.race([...this.inFlight, this.sleep(Math.max(1, deadline - Date.now()))]);
      }
    }
  }

  private track(run: Promise<void>) {
    const tracked = run
      .catch((error) => logError(`worker ${this.id}`, describe(error)))
      .finally(() => {
        this.inFlight.delete(tracked);
        this.nudge();
      });
    this.inFlight.add(tracked);
  }

  // Claims and runs one job; false when nothing was due. (Tests drive the worker with it.)
  async runOnce(): Promise<boolean> {
    const [job] = await claimJobs(
      this.db,
      this.id,
      clockNow(),
      this.leaseMs,
      [...this.jobs.keys()],
      1,
    );
    if (!job) return false;
    await this.execute(job);
    return true;
  }

  private emit(event: WorkerEvent) {
    this.options.onEvent?.(event);
  }

  private async execute(job: ClaimedJob): Promise<void> {
    const { db } = this;
    const startedAt = clockNow();
    // Step results are kept in memory and written only before the next step runs or when
    // the attempt fails: a job that succeeds in one go costs no extra writes.
    const pendingSteps: { key: string; result: unknown }[] = [];
    this.emit({ kind: "started", jobId: job.id, type: job.type, attempt: job.attempt });

    const lease = new AbortController();
    const heartbeat = setInterval(() => {
      void db.job
        .updateMany({
          where: { id: job.id, attempts: job.attempt, status: "RUNNING" },
          data: { leaseExpiresAt: new Date(clockNow().getTime() + this.leaseMs) },
        })
        .then((r) => {
          if (r.count === 0 && !lease.signal.aborted) {
            lease.abort(new Error("lease lost"));
            this.emit({ kind: "lease-lost", jobId: job.id, type: job.type, attempt: job.attempt });
          }
        })
        .catch(() => undefined);
    }, this.heartbeatMs);

    let outcome: { ok: true; result: unknown } | { ok: false; error: unknown };
    try {
      const definition = this.jobs.get(job.type)!;
      if (job.attempt > job.maxAttempts)
        throw Object.assign(new Error(`Gave up after ${job.maxAttempts} attempts`), {
          permanent: true,
        });
      const parsed = definition.schema.safeParse(job.payload);
      if (!parsed.success)
        throw Object.assign(
          new Error(
            `Invalid payload: ${parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}`,
          ),
          { permanent: true },
        );
      const ctx: JobContext<unknown> = {
        jobId: job.id,
        attempt: job.attempt,
        payload: parsed.data,
        secret: job.secretEnc
          ? open(job.secretEnc, this.options.encryptionKey ?? encryptionKey())
          : null,
        db,
        signal: lease.signal,
        step: (key, fn) => this.step(job, key, fn, lease.signal, pendingSteps),
        progress: async (note) => {
          await db.job.updateMany({
            where: { id: job.id, attempts: job.attempt, status: "RUNNING" },
            data: { result: { progress: note } as never },
          });
        },
      };
      outcome = { ok: true, result: await definition.handle(ctx) };
    } catch (error) {
      outcome = { ok: false, error };
    } finally {
      clearInterval(heartbeat);
    }
    if (!outcome.ok) await this.flushSteps(job, pendingSteps).catch(() => undefined);
    await this.finish(job, outcome, startedAt);
  }

  private async step<T>(
    job: ClaimedJob,
    key: string,
    fn: () => Promise<T>,
    signal: AbortSignal,
    pending: { key: string; result: unknown }[],
  ): Promise<T> {
    const inMemory = pending.find((p) => p.key === key);
    if (inMemory) return inMemory.result as T;
    // Only a retried job can have stored steps.
    if (job.attempt > 1) {
      const done = await this.db.jobStep.findUnique({
        where: { jobId_key: { jobId: job.id, key } },
        select: { result: true },
      });
      if (done) return done.result as T;
    }
    await this.flushSteps(job, pending);
    signal.throwIfAborted();
    const result = await fn();
    signal.throwIfAborted();
    pending.push({ key, result: result ?? null });
    return result;
  }

  private async flushSteps(
    job: ClaimedJob,
    pending: { key: string; result: unknown }[],
  ): Promise<void> {
    while (pending.length) {
      const step = pending.shift()!;
      try {
        await this.db.jobStep.create({
          data: { jobId: job.id, key: step.key, result: step.result as never },
        });
      } catch (error) {
        if ((error as { code?: string }).code !== "P2002") throw error;
      }
    }
  }

  private async finish(
    job: ClaimedJob,
    outcome: { ok: true; result: unknown } | { ok: false; error: unknown },
    startedAt: Date,
  ) {
    const { db } = this;
    const at = clockNow();
    // Fencing: only the holder of the current attempt may write the outcome.
    const mine = { id: job.id, attempts: job.attempt, status: "RUNNING" as const };
    let runOutcome: string;
    let runError: string | null = null;
    if (outcome.ok) {
      const r = await db.job.updateMany({
        where: mine,
        data: {
          status: "SUCCEEDED",
          finishedAt: at,
          result: (outcome.result ?? null) as never,
          secretEnc: null,
          lastError: null,
          lockedBy: null,
          leaseExpiresAt: null,
        },
      });
      runOutcome = r.count === 1 ? "succeeded" : "rejected-late";
      this.emit({
        kind: r.count === 1 ? "succeeded" : "late-result-rejected",
        jobId: job.id,
        type: job.type,
        attempt: job.attempt,
      });
    } else {
      runError = describe(outcome.error);
      try {
        await this.options.onError?.({ id: job.id, type: job.type }, outcome.error);
      } catch {
        // reporting must never block the queue
      }
      const dead = isPermanent(outcome.error) || job.attempt >= job.maxAttempts;
      const r = await db.job.updateMany({
        where: mine,
        data: dead
          ? {
              status: "FAILED",
              finishedAt: at,
              lastError: runError,
              secretEnc: null,
              lockedBy: null,
              leaseExpiresAt: null,
            }
          : {
              status: "PENDING",
              runAt: new Date(at.getTime() + (this.options.backoff ?? backoffMs)(job.attempt)),
              lastError: runError,
              lockedBy: null,
              leaseExpiresAt: null,
            },
      });
      runOutcome = r.count === 1 ? (dead ? "dead" : "retrying") : "rejected-late";
      this.emit({
        kind: r.count === 1 ? (dead ? "dead" : "retrying") : "late-result-rejected",
        jobId: job.id,
        type: job.type,
        attempt: job.attempt,
        error: runError,
      });
    }
    this.recordRun({
      jobId: job.id,
      attempt: job.attempt,
      workerId: this.id,
      startedAt,
      endedAt: clockNow(),
      outcome: runOutcome,
      error: runError,
    });
  }
}
