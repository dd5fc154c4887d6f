import { sqlOf, type DB } from "@/core/db";
import type { Sql } from "@/core/sql";

export type ClaimedJob = {
  id: string;
  type: string;
  payload: unknown;
  secretEnc: string | null;
  attempt: number;
  maxAttempts: number;
};

type Row = {
  id: string;
  type: string;
  payload: unknown;
  secretEnc: string | null;
  attempts: number;
  maxAttempts: number;
};

// Due: PENDING and its time has come, or RUNNING with its lease run out (its worker is
// presumed dead). $1 = now, $2 = the worker's job types.
const DUE = (typeFilter: string) => `${typeFilter}
    AND (("status" = 'PENDING' AND "runAt" <= $1) OR ("status" = 'RUNNING' AND "leaseExpiresAt" < $1))`;

// One statement per batch. Claiming increments `attempts`, the fencing number every later
// write of this attempt must match. On PostgreSQL, SKIP LOCKED lets concurrent claimers pass
// each other's rows instead of queueing behind them, and the row lock re-checks DUE against the
// latest committed version, so a row is claimed once. SQLite runs the statement under its one
// write lock: the inner select and the update see the same rows.
const CLAIM = (typeFilter: string, lock: string) => `UPDATE "Job" SET
    "status" = 'RUNNING', "attempts" = "attempts" + 1, "lockedBy" = $3, "lockedAt" = $1, "leaseExpiresAt" = $4
  WHERE "id" IN (SELECT "id" FROM "Job" WHERE ${DUE(typeFilter)}
    ORDER BY "runAt", "createdAt" LIMIT $5${lock})
  RETURNING "id", "type", "payload", "secretEnc", "attempts", "maxAttempts"`;

// The types are one parameter: an array on PostgreSQL, a JSON array on SQLite.
const ofTypes = (n: number, pg: boolean) =>
  pg ? `"type" = ANY($${n}::text[])` : `"type" IN (SELECT value FROM json_each($${n}))`;

const CLAIM_POSTGRES = CLAIM(ofTypes(2, true), " FOR UPDATE SKIP LOCKED");
const CLAIM_SQLITE = CLAIM(ofTypes(2, false), "");

// When the next of these job types becomes due (or a running one's lease runs out), in ms.
const NEXT_DUE = (pg: boolean, epochMs: string) => `SELECT ${epochMs} AS "at" FROM (
    SELECT min("runAt") AS t FROM "Job" WHERE "status" = 'PENDING' AND ${ofTypes(1, pg)}
    UNION ALL
    SELECT min("leaseExpiresAt") FROM "Job" WHERE "status" = 'RUNNING' AND ${ofTypes(1, pg)}
  ) AS due`;
const NEXT_DUE_POSTGRES = NEXT_DUE(true, `(extract(epoch FROM min(t)) * 1000)::float8`);
// SQLite keeps the time as ISO text; julianday() reads it.
const NEXT_DUE_SQLITE = NEXT_DUE(false, `(julianday(min(t)) - 2440587.5) * 86400000.0`);

const typesParam = (sql: Sql, types: string[]) =>
  sql.dialect === "postgres" ? types : JSON.stringify(types);

// Claims up to `limit` due jobs of the given types for this worker, in one statement.
export async function claimJobs(
  db: DB,
  workerId: string,
  at: Date,
  leaseMs: number,
  types: string[],
  limit: number,
): Promise<ClaimedJob[]> {
  if (limit < 1 || types.length === 0) return [];
  const sql = sqlOf(db);
  const pg = sql.dialect === "postgres";
  const rows = await sql.query<Row>(
    pg ? CLAIM_POSTGRES : CLAIM_SQLITE,
    [
      sql.time(at),
      typesParam(sql, types),
      workerId,
      sql.time(new Date(at.getTime() + leaseMs)),
      limit,
    ],
    "parley_claim_jobs",
  );
  return rows.map((j) => ({
    id: j.id,
    type: j.type,
    payload: sql.json(j.payload),
    secretEnc: j.secretEnc,
    attempt: Number(j.attempts),
    maxAttempts: Number(j.maxAttempts),
  }));
}

// The time (ms since the epoch) at which the next job of these types becomes claimable, or
// null when none is waiting: an idle worker woken by notifications sleeps until then.
export async function nextDueAt(db: DB, types: string[]): Promise<number | null> {
  const sql = sqlOf(db);
  const [row] = await sql.query<{ at: number | null }>(
    sql.dialect === "postgres" ? NEXT_DUE_POSTGRES : NEXT_DUE_SQLITE,
    [typesParam(sql, types)],
    "parley_next_due",
  );
  return row?.at === null || row?.at === undefined ? null : Number(row.at);
}
