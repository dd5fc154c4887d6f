import type { Sql } from "@/core/sql";

// The writes of an attempt after its claim, each one statement on the driver. Each matches the
// job's id, the attempt's fencing number and RUNNING: a worker whose lease ran out, or whose job
// was cancelled, writes nothing (0 rows) and learns it lost the job.
const MINE = `"id" = $1 AND "attempts" = $2 AND "status" = 'RUNNING'`;

const SUCCEEDED = `UPDATE "Job" SET "status" = 'SUCCEEDED', "finishedAt" = $3, "result" = $4,
  "secretEnc" = NULL, "lastError" = NULL, "lockedBy" = NULL, "leaseExpiresAt" = NULL WHERE ${MINE}`;
const RETRYING = `UPDATE "Job" SET "status" = 'PENDING', "runAt" = $3, "lastError" = $4,
  "lockedBy" = NULL, "leaseExpiresAt" = NULL WHERE ${MINE}`;
const DEAD = `UPDATE "Job" SET "status" = 'FAILED', "finishedAt" = $3, "lastError" = $4,
  "secretEnc" = NULL, "lockedBy" = NULL, "leaseExpiresAt" = NULL WHERE ${MINE}`;

export type Attempt = { id: string; attempt: number };

export type Outcome =
  | { status: "SUCCEEDED"; at: Date; result: unknown }
  | { status: "PENDING"; runAt: Date; error: string }
  | { status: "FAILED"; at: Date; error: string };

// Writes the outcome of an attempt; false when the attempt no longer held the job.
export async function finishAttempt(sql: Sql, job: Attempt, outcome: Outcome): Promise<boolean> {
  const mine = [job.id, job.attempt];
  let rows: number;
  if (outcome.status === "SUCCEEDED") {
    const result = outcome.result === undefined ? null : JSON.stringify(outcome.result);
    rows = await sql.execute(
      SUCCEEDED,
      [...mine, sql.time(outcome.at), result],
      "parley_job_succeeded",
    );
  } else if (outcome.status === "PENDING") {
    rows = await sql.execute(
      RETRYING,
      [...mine, sql.time(outcome.runAt), outcome.error],
      "parley_job_retrying",
    );
  } else {
    rows = await sql.execute(
      DEAD,
      [...mine, sql.time(outcome.at), outcome.error],
      "parley_job_dead",
    );
  }
  return rows === 1;
}

// One heartbeat for every attempt a worker has in hand: extends their leases and returns those
// it still holds (an attempt missing from the answer lost its job).
const RENEW = (ids: string) => `UPDATE "Job" SET "leaseExpiresAt" = $1
  WHERE "status" = 'RUNNING' AND "lockedBy" = $2 AND ${ids}
  RETURNING "id", "attempts"`;
const RENEW_POSTGRES = RENEW(`"id" = ANY($3::text[])`);
const RENEW_SQLITE = RENEW(`"id" IN (SELECT value FROM json_each($3))`);

export async function renewLeases(
  sql: Sql,
  workerId: string,
  until: Date,
  attempts: Attempt[],
): Promise<Set<string>> {
  const pg = sql.dialect === "postgres";
  const ids = attempts.map((a) => a.id);
  const rows = await sql.query<{ id: string; attempts: number }>(
    pg ? RENEW_POSTGRES : RENEW_SQLITE,
    [sql.time(until), workerId, pg ? ids : JSON.stringify(ids)],
    "parley_renew_leases",
  );
  return new Set(rows.map((r) => `${r.id}#${Number(r.attempts)}`));
}
