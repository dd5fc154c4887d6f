import { randomBytes } from "node:crypto";
import os from "node:os";
import { sqlOf, type DB } from "@/core/db";
import type { Sql } from "@/core/sql";
import { now as clockNow } from "@/core/clock";
import { encryptionKey } from "@/core/secrets";
import { logError, logInfo } from "@/core/log";
import { runAttempt } from "./attempt";
import { backoffMs } from "./backoff";
import { claimNext, finishAndClaim, nextDueAt, type ClaimedJob } from "./claim";
import { distinctReads, type ClaimRead } from "./claim-reads";
import { attemptKey, finishAttempts, type Finish } from "./fenced";
import { Leases } from "./leases";
import { listenForJobs, type JobListener } from "./listen";
import { RunHistory } from "./run-history";
import type { PendingWrite } from "./success-writes";
import { isPermanent, type JobDefinition } from "./types";
import { runDueSchedules } from "./scheduler";

export type WorkerEvent = {
  kind: "started" | "succeeded" | "retrying" | "dead" | "late-result-rejected" | "lease-lost";
  jobId: string;
  type: string;
  attempt: number;
  error?: string;
};

export type WorkerOptions = {
  db: DB;
  jobs: JobDefinition[];
  // Opens the jobs' sealed secrets (default: the configured key).
  encryptionKey?: Buffer;
  workerId?: string;
  concurrency?: number;
  // Jobs claimed ahead of free slots (default: as many as `concurrency`), leased and started the
  // moment a slot frees: a busy worker keeps every slot busy while claiming in batches (one
  // statement per `concurrency` jobs). 0 claims only for free slots, half of them at a time.
  prefetch?: number;
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

// An attempt whose outcome waits to be written: with the next claim (one statement on
// PostgreSQL), which comes at the latest ENDINGS_WAIT_MS after the first outcome waiting.
type Ending = {
  job: ClaimedJob;
  finish: Finish;
  writes: PendingWrite[];
  startedAt: Date;
  error: string | null;
  dead: boolean;
};
// Long enough for a busy worker's outcomes to wait for its next batch claim (8 jobs at 150 a
// second take 53 ms), short beside what a person notices.
const ENDINGS_WAIT_MS = 50;
// After a failed outcome write (the database unreachable), try again this much later.
const ENDINGS_RETRY_MS = 1_000;

export class Worker {
  readonly id: string;
  private readonly db: DB;
  private readonly sql: Sql;
  private readonly jobs: Map<string, JobDefinition>;
  private readonly types: string[];
  private readonly reads: ClaimRead[];
  private readonly concurrency: number;
  // The most jobs held at once (running and ready), and how many a claim waits to be able to take.
  private readonly capacity: number;
  private readonly batch: number;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly listenPollMs: number;
  private readonly leases: Leases<ClaimedJob>;
  private readonly history: RunHistory;
  private running = false;
  private loops: Promise<void>[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  // Claimed and leased, waiting for a slot.
  private ready: { job: ClaimedJob; lease: AbortSignal }[] = [];
  private endings: Ending[] = [];
  private endingsTimer: NodeJS.Timeout | undefined;
  // The first waiting outcome has waited ENDINGS_WAIT_MS: claim (or write) without a full batch.
  private endingsDue = false;
  private readonly writing = new Set<Promise<void>>();
  private listener: JobListener | undefined;
  private listenerWasLost = false;
  private schedulesCheckedAt = 0;
  private key: Buffer | undefined;
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
    this.reads = distinctReads(options.jobs.map((j) => j.read));
    this.concurrency = options.concurrency ?? 4;
    const prefetch = Math.max(0, options.prefetch ?? this.concurrency);
    this.capacity = this.concurrency + prefetch;
    this.batch = prefetch > 0 ? prefetch : Math.max(1, Math.floor(this.concurrency / 2));
    this.leaseMs = options.leaseMs ?? 60_000;
    this.pollMs = options.pollMs ?? 1_000;
    this.listenPollMs = options.listenPollMs ?? options.pollMs ?? 30_000;
    const heartbeatMs = options.heartbeatMs ?? Math.max(50, Math.floor(this.leaseMs / 3));
    this.leases = new Leases(this.sql, this.id, this.leaseMs, heartbeatMs, (job) =>
      this.emit({ kind: "lease-lost", jobId: job.id, type: job.type, attempt: job.attempt }),
    );
    this.history = new RunHistory(options.db, `worker ${this.id}`);
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
          if (!listening) logError(`worker ${this.id}`, "LISTEN connection lost; polling");
          else if (this.listenerWasLost) logInfo(`worker ${this.id}`, "LISTEN connection back");
          this.listenerWasLost ||= !listening;
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

  // Stops claiming and waits for the jobs in hand (running, and claimed ahead) to finish and
  // their outcomes to be written.
  async stop(): Promise<void> {
    this.running = false;
    this.wake.splice(0).forEach((w) => w());
    await this.listener?.close();
    this.listener = undefined;
    await Promise.all(this.loops);
    // A job ending starts the next one claimed ahead.
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
    this.loops = [];
    await this.flushRuns();
  }

  // Writes the outcomes waiting to be written, then the run history.
  async flushRuns(): Promise<void> {
    await Promise.all(this.writing);
    await this.writeEndings();
    await this.history.flush();
  }

  // Wakes the dispatcher, e.g. right after something was enqueued in this process.
  nudge(): void {
    if (this.wake.length === 0) this.woken = true;
    this.wake.splice(0).forEach((w) => w());
  }

  private sleep(ms: number): Promise<void> {
    // stop() may have come while the loop was between its check and this sleep (e.g. reading
    // when the next job is due): it found no sleeper to wake.
    if (!this.running) return Promise.resolve();
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

  private get room(): number {
    return this.capacity - this.inFlight.size - this.ready.length;
  }

  // Claims as many jobs as there is room for, in one go, and runs them concurrently.
  private async dispatch(): Promise<void> {
    while (this.running) {
      // -1: no claim was tried (no room).
      let claimed = -1;
      try {
        await this.runSchedules();
        if (this.room > 0) {
          claimed = 0;
          this.woken = false;
          const jobs = await this.claim(this.room);
          claimed = jobs.length;
          for (const job of jobs) this.ready.push({ job, lease: this.leases.hold(job) });
          this.startReady();
        } else if (this.endingsDue) await this.writeEndings();
      } catch (error) {
        logError(`worker ${this.id}`, describe(error));
      }
      if (!this.running) break;
      if (claimed === 0) await this.sleep(await this.idleMs());
      // Claim in batches: wait until a batch fits (or the poll interval passed), so busy workers
      // spend one claim, and one transaction of outcomes, on several jobs (bench/README.md,
      // issue 13).
      const deadline = Date.now() + (this.listening ? this.listenPollMs : this.pollMs);
      while (this.running && this.room < this.batch && !this.endingsDue && Date.now() < deadline) {
        // A finished job nudges the worker awake.
        await this.sleep(Math.max(1, deadline - Date.now()));
      }
    }
  }

  // Claims up to `limit` jobs; the outcomes waiting to be written go with it (finishAndClaim).
  private async claim(limit: number): Promise<ClaimedJob[]> {
    const request = {
      workerId: this.id,
      at: clockNow(),
      leaseMs: this.leaseMs,
      types: this.types,
      limit,
      reads: this.reads,
    };
    if (this.endings.length === 0) return claimNext(this.sql, request);
    const endings = this.takeEndings();
    try {
      const { jobs, finished } = await finishAndClaim(
        this.sql,
        endings.map((e) => e.finish),
        endings.flatMap((e) => e.writes),
        request,
      );
      this.settle(endings, finished);
      return jobs;
    } catch (error) {
      this.putBack(endings);
      throw error;
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
    const due = await nextDueAt(this.sql, this.types).catch(() => null);
    if (due === null) return this.listenPollMs;
    return Math.min(this.listenPollMs, Math.max(50, due - clockNow().getTime() + 5));
  }

  // Starts jobs claimed ahead while slots are free (also while stopping: they are ours).
  private startReady() {
    while (this.inFlight.size < this.concurrency && this.ready.length > 0) {
      const { job, lease } = this.ready.shift()!;
      this.track(this.execute(job, lease));
    }
  }

  private track(run: Promise<void>) {
    const tracked = run
      .catch((error) => logError(`worker ${this.id}`, describe(error)))
      .finally(() => {
        this.inFlight.delete(tracked);
        this.startReady();
        // Waking the dispatcher for every job that ends cost a timer and a promise each;
        // it waits for a whole batch (its outcomes have their own timer).
        if (this.room >= this.batch) this.nudge();
      });
    this.inFlight.add(tracked);
  }

  // Claims and runs one job and writes its outcome; false when nothing was due. (Tests drive
  // the worker with it.)
  async runOnce(): Promise<boolean> {
    const [job] = await claimNext(this.sql, {
      workerId: this.id,
      at: clockNow(),
      leaseMs: this.leaseMs,
      types: this.types,
      limit: 1,
      reads: this.reads,
    });
    if (!job) return false;
    await this.execute(job, this.leases.hold(job));
    await this.writeEndings();
    return true;
  }

  private emit(event: WorkerEvent) {
    this.options.onEvent?.(event);
  }

  // Runs an attempt; its outcome joins the endings waiting to be written (its slot is free
  // at once, its lease kept until the write).
  private async execute(job: ClaimedJob, lease: AbortSignal): Promise<void> {
    // Lost while waiting for a slot (cancelled, or taken over): already reported.
    if (lease.aborted) return this.leases.release(job);
    const startedAt = clockNow();
    this.emit({ kind: "started", jobId: job.id, type: job.type, attempt: job.attempt });
    const outcome = await runAttempt(job, {
      db: this.db,
      definition: this.jobs.get(job.type)!,
      signal: lease,
      key: () => (this.key ??= this.options.encryptionKey ?? encryptionKey()),
    });
    const ended = { id: job.id, attempt: job.attempt };
    if (outcome.ok) {
      const finish: Finish = {
        ...ended,
        status: "SUCCEEDED",
        at: clockNow(),
        result: outcome.result,
      };
      this.endings.push({
        job,
        finish,
        writes: outcome.writes,
        startedAt,
        error: null,
        dead: false,
      });
    } else {
      const error = describe(outcome.error);
      try {
        await this.options.onError?.({ id: job.id, type: job.type }, outcome.error);
      } catch {
        // reporting must never block the queue
      }
      const dead = isPermanent(outcome.error) || job.attempt >= job.maxAttempts;
      const at = clockNow();
      const finish: Finish = dead
        ? { ...ended, status: "FAILED", at, error }
        : {
            ...ended,
            status: "PENDING",
            at: new Date(at.getTime() + (this.options.backoff ?? backoffMs)(job.attempt)),
            error,
          };
      this.endings.push({ job, finish, writes: [], startedAt, error, dead });
    }
    this.endingsTimer ??= setTimeout(() => {
      if (!this.running) return void this.writeEndings();
      this.endingsDue = true;
      this.nudge();
    }, ENDINGS_WAIT_MS);
  }

  private takeEndings(): Ending[] {
    clearTimeout(this.endingsTimer);
    this.endingsTimer = undefined;
    this.endingsDue = false;
    return this.endings.splice(0);
  }

  private putBack(endings: Ending[]) {
    this.endings.unshift(...endings);
    this.endingsTimer ??= setTimeout(() => void this.writeEndings(), ENDINGS_RETRY_MS);
  }

  // Writes the waiting outcomes in one statement.
  private async writeEndings(): Promise<void> {
    const endings = this.takeEndings();
    if (endings.length === 0) return;
    const write = finishAttempts(
      this.sql,
      endings.map((e) => e.finish),
      endings.flatMap((e) => e.writes),
    ).then(
      (finished) => this.settle(endings, finished),
      (error) => {
        logError(`worker ${this.id}`, `could not write job outcomes: ${describe(error)}`);
        this.putBack(endings);
      },
    );
    this.writing.add(write);
    await write.finally(() => this.writing.delete(write));
  }

  // The outcomes are written: an attempt missing from `finished` had lost its job.
  private settle(endings: Ending[], finished: Set<string>) {
    for (const { job, finish, startedAt, error, dead } of endings) {
      this.leases.release(job);
      const mine = finished.has(attemptKey(job));
      const outcome = !mine
        ? "rejected-late"
        : finish.status === "SUCCEEDED"
          ? "succeeded"
          : dead
            ? "dead"
            : "retrying";
      this.emit({
        kind: mine ? (outcome as WorkerEvent["kind"]) : "late-result-rejected",
        jobId: job.id,
        type: job.type,
        attempt: job.attempt,
        ...(error === null ? {} : { error }),
      });
      this.history.record({
        jobId: job.id,
        attempt: job.attempt,
        workerId: this.id,
        startedAt,
        endedAt: clockNow(),
        outcome,
        error,
      });
    }
  }
}
