import { randomBytes } from "node:crypto";
import os from "node:os";
import { sqlOf, type DB } from "@/core/db";
import type { Sql } from "@/core/sql";
import { now as clockNow } from "@/core/clock";
import { encryptionKey, open } from "@/core/secrets";
import { logError, logInfo } from "@/core/log";
import { backoffMs } from "./backoff";
import { claimJobs, nextDueAt, type ClaimedJob } from "./claim";
import { finishAttempt, renewLeases } from "./fenced";
import { listenForJobs, type JobListener } from "./listen";
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
  // How often an idle worker looks for due jobs when nothing wakes it (default 1 s): on SQLite,
  // where only enqueues in this process nudge it, and on PostgreSQL while LISTEN is down.
  pollMs?: number;
  // PostgreSQL: wake on NOTIFY from a dedicated LISTEN connection (default on). Idle polls then
  // come every `listenPollMs` (default: pollMs when given, else 30 s), or sooner when a job
  // waiting in the table becomes due.
  listen?: boolean;
  listenPollMs?: number;
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

// Due schedules are looked for at most this often (their periods are hours).
const SCHEDULES_EVERY_MS = 1_000;

type Held = { job: ClaimedJob; lease: AbortController };

export class Worker {
  readonly id: string;
  private readonly db: DB;
  private readonly sql: Sql;
  private readonly jobs: Map<string, JobDefinition>;
  private readonly types: string[];
  private readonly concurrency: number;
  private readonly leaseMs: number;
  private readonly heartbeatMs: number;
  private readonly pollMs: number;
  private readonly listenPollMs: number;
  private running = false;
  private loops: Promise<void>[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  // The attempts in hand, by "id#attempt", all kept alive by one heartbeat.
  private readonly held = new Map<string, Held>();
  private heartbeat: NodeJS.Timeout | undefined;
  private listener: JobListener | undefined;
  private schedulesCheckedAt = 0;
  private key: Buffer | undefined;
  // Run history is written in batches (one insert for many attempts): it is a record, not
  // state the queue depends on, so a crash may lose the last few rows and nothing else.
  private runs: RunRecord[] = [];
  private flushingRuns: Promise<void> | null = null;
  private wake: (() => void)[] = [];
  // Set by a nudge that found nobody sleeping (e.g. during a claim that may have missed the
  // job it announces): the next sleep returns at once.
  private woken = false;

  constructor(private readonly options: WorkerOptions) {
    this.id =
      options.workerId ?? `${os.hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
    this.db = options.db;
    this.sql = sqlOf(options.db);
    this.jobs = new Map(options.jobs.map((j) => [j.type, j]));
    this.types = [...this.jobs.keys()];
    this.concurrency = options.concurrency ?? 4;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.heartbeatMs = options.heartbeatMs ?? Math.max(50, Math.floor(this.leaseMs / 3));
    this.pollMs = options.pollMs ?? 1_000;
    this.listenPollMs = options.listenPollMs ?? options.pollMs ?? 30_000;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    const { connection } = this.sql;
    if (connection && this.options.listen !== false) {
      this.listener = listenForJobs(connection, {
        notified: () => this.nudge(),
        // (Re)connected: claim once, for what was announced while nobody listened.
        changed: (listening) => {
          if (listening) logInfo(`worker ${this.id}`, "listening for new jobs");
          else
            logError(`worker ${this.id}`, "lost its LISTEN connection; polling until it is back");
          this.nudge();
        },
      });
    }
    this.loops = [this.dispatch()];
  }

  // True while new jobs wake this worker by notification (PostgreSQL).
  get listening(): boolean {
    return this.listener?.listening ?? false;
  }

  // Stops claiming and waits for the jobs in hand to finish.
  async stop(): Promise<void> {
    this.running = false;
    this.wake.splice(0).forEach((w) => w());
    await this.listener?.close();
    this.listener = undefined;
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
    if (this.wake.length === 0) this.woken = true;
    this.wake.splice(0).forEach((w) => w());
  }

  private sleep(ms: number): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
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
        await this.runSchedules();
        const free = this.concurrency - this.inFlight.size;
        if (free > 0) {
          this.woken = false;
          const jobs = await claimJobs(
            this.db,
            this.id,
            clockNow(),
            this.leaseMs,
            this.types,
            free,
          );
          claimed = jobs.length;
          for (const job of jobs) this.track(this.execute(job));
        }
      } catch (error) {
        logError(`worker ${this.id}`, describe(error));
      }
      if (!this.running) break;
      if (claimed === 0) await this.sleep(await this.idleMs());
      // Claim in batches: wait until a quarter of the slots are free (or the poll interval
      // passed), so busy workers spend one claim on several jobs.
      const batch = Math.max(1, Math.floor(this.concurrency / 4));
      const deadline = Date.now() + (this.listening ? this.listenPollMs : this.pollMs);
      while (
        this.running &&
        this.concurrency - this.inFlight.size < batch &&
        Date.now() < deadline
      ) {
        await Promise.race([...this.inFlight, this.sleep(Math.max(1, deadline - Date.now()))]);
      }
    }
  }

  private async runSchedules(): Promise<void> {
    if (!this.options.schedule || Date.now() - this.schedulesCheckedAt < SCHEDULES_EVERY_MS) return;
    this.schedulesCheckedAt = Date.now();
    await runDueSchedules(this.db, clockNow());
  }

  // How long to sleep when nothing was due. Listening, a long sleep is cut short by the next
  // due time of a job already in the table (a retry's backoff, a dead worker's lease).
  private async idleMs(): Promise<number> {
    if (!this.listening) return this.pollMs;
    if (this.listenPollMs <= this.pollMs) return this.listenPollMs;
    const due = await nextDueAt(this.db, this.types).catch(() => null);
    if (due === null) return this.listenPollMs;
    return Math.min(this.listenPollMs, Math.max(50, due - clockNow().getTime() + 5));
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
    const [job] = await claimJobs(this.db, this.id, clockNow(), this.leaseMs, this.types, 1);
    if (!job) return false;
    await this.execute(job);
    return true;
  }

  private emit(event: WorkerEvent) {
    this.options.onEvent?.(event);
  }

  private async execute(job: ClaimedJob): Promise<void> {
    const startedAt = clockNow();
    // Step results are kept in memory and written only before the next step runs or when
    // the attempt fails: a job that succeeds in one go costs no extra writes.
    const pendingSteps: { key: string; result: unknown }[] = [];
    this.emit({ kind: "started", jobId: job.id, type: job.type, attempt: job.attempt });
    const lease = new AbortController();
    const held = `${job.id}#${job.attempt}`;
    this.hold(held, { job, lease });

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
      outcome = {
        ok: true,
        result: await definition.handle(this.context(job, parsed.data, lease.signal, pendingSteps)),
      };
    } catch (error) {
      outcome = { ok: false, error };
    } finally {
      this.release(held);
    }
    if (!outcome.ok) await this.flushSteps(job, pendingSteps).catch(() => undefined);
    await this.finish(job, outcome, startedAt);
  }

  private context(
    job: ClaimedJob,
    payload: unknown,
    signal: AbortSignal,
    pendingSteps: { key: string; result: unknown }[],
  ): JobContext<unknown> {
    const { db } = this;
    let secret: string | null | undefined;
    const key = () => (this.key ??= this.options.encryptionKey ?? encryptionKey());
    return {
      jobId: job.id,
      attempt: job.attempt,
      payload,
      // Opened when the handler first asks.
      get secret() {
        return (secret ??= job.secretEnc ? open(job.secretEnc, key()) : null);
      },
      db,
      signal,
      step: (stepKey, fn) => this.step(job, stepKey, fn, signal, pendingSteps),
      progress: async (note) => {
        await db.job.updateMany({
          where: { id: job.id, attempts: job.attempt, status: "RUNNING" },
          data: { result: { progress: note } as never },
        });
      },
    };
  }

  // One heartbeat for all the attempts in hand, running while there are any.
  private hold(key: string, held: Held) {
    this.held.set(key, held);
    this.heartbeat ??= setInterval(() => void this.renew(), this.heartbeatMs);
  }

  private release(key: string) {
    this.held.delete(key);
    if (this.held.size === 0) {
      clearInterval(this.heartbeat);
      this.heartbeat = undefined;
    }
  }

  private async renew(): Promise<void> {
    const held = [...this.held];
    if (held.length === 0) return;
    const until = new Date(clockNow().getTime() + this.leaseMs);
    let kept: Set<string>;
    try {
      kept = await renewLeases(
        this.sql,
        this.id,
        until,
        held.map(([, h]) => h.job),
      );
    } catch {
      return; // the database is unreachable: the next beat tries again
    }
    for (const [key, h] of held) {
      // Lost, unless it ended meanwhile (its outcome write is fenced anyway).
      if (kept.has(key) || this.held.get(key) !== h || h.lease.signal.aborted) continue;
      h.lease.abort(new Error("lease lost"));
      this.emit({ kind: "lease-lost", jobId: h.job.id, type: h.job.type, attempt: h.job.attempt });
    }
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
    const at = clockNow();
    let runOutcome: string;
    let runError: string | null = null;
    if (outcome.ok) {
      const mine = await finishAttempt(this.sql, job, {
        status: "SUCCEEDED",
        at,
        result: outcome.result,
      });
      runOutcome = mine ? "succeeded" : "rejected-late";
      this.emit({
        kind: mine ? "succeeded" : "late-result-rejected",
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
      const mine = await finishAttempt(
        this.sql,
        job,
        dead
          ? { status: "FAILED", at, error: runError }
          : {
              status: "PENDING",
              runAt: new Date(at.getTime() + (this.options.backoff ?? backoffMs)(job.attempt)),
              error: runError,
            },
      );
      runOutcome = mine ? (dead ? "dead" : "retrying") : "rejected-late";
      this.emit({
        kind: mine ? (dead ? "dead" : "retrying") : "late-result-rejected",
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
