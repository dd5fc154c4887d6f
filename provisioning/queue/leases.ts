import { now as clockNow } from "@/core/clock";
import type { Sql } from "@/core/sql";
import { attemptKey } from "./fenced";

type Attempt = { id: string; attempt: number };

// One heartbeat for every attempt a worker has in hand: extends their leases and returns
// the ones still held.
const RENEW = (ids: string) => `UPDATE "Job" SET "leaseExpiresAt" = $1
  WHERE "status" = 'RUNNING' AND "lockedBy" = $2 AND ${ids}
  RETURNING "id", "attempts"`;
const RENEW_SQL = {
  postgres: RENEW(`"id" = ANY($3::text[])`),
  sqlite: RENEW(`"id" IN (SELECT value FROM json_each($3))`),
};

// The leases of the attempts a worker holds, kept alive by one timer that runs while there
// are any. An attempt the heartbeat finds gone (its lease ran out and another worker took the
// job, or the job was cancelled) has its signal aborted and is reported.
export class Leases<J extends Attempt> {
  private readonly held = new Map<string, { job: J; lease: AbortController }>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly sql: Sql,
    private readonly workerId: string,
    private readonly leaseMs: number,
    private readonly heartbeatMs: number,
    private readonly lost: (job: J) => void,
  ) {}

  hold(job: J): AbortSignal {
    const lease = new AbortController();
    this.held.set(attemptKey(job), { job, lease });
    this.timer ??= setInterval(() => void this.renew(), this.heartbeatMs);
    return lease.signal;
  }

  release(job: J): void {
    this.held.delete(attemptKey(job));
    if (this.held.size > 0) return;
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async renew(): Promise<void> {
    const held = [...this.held];
    if (held.length === 0) return;
    const pg = this.sql.dialect === "postgres";
    const ids = held.map(([, h]) => h.job.id);
    let kept: Set<string>;
    try {
      const rows = await this.sql.query<{ id: string; attempts: number }>(
        RENEW_SQL[this.sql.dialect],
        [
          this.sql.time(new Date(clockNow().getTime() + this.leaseMs)),
          this.workerId,
          pg ? ids : JSON.stringify(ids),
        ],
        "parley_renew_leases",
      );
      kept = new Set(rows.map((r) => attemptKey({ id: r.id, attempt: Number(r.attempts) })));
    } catch {
      return; // the database is unreachable: the next beat tries again
    }
    for (const [key, h] of held) {
      // Lost, unless it was released meanwhile (its outcome write is fenced anyway).
      if (kept.has(key) || this.held.get(key) !== h || h.lease.signal.aborted) continue;
      h.lease.abort(new Error("lease lost"));
      this.lost(h.job);
    }
  }
}
