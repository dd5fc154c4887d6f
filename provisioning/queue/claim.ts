import { sqlOf, type DB } from "@/core/db";
import type { Sql, SqlRunner } from "@/core/sql";
import {
  attemptKey,
  finishAttempts,
  finishesParam,
  FINISH_POSTGRES,
  writeParts,
  type Finish,
} from "./fenced";
import { readColumn, readSql, rowsRead, type ClaimRead } from "./claim-reads";
import type { PendingWrite } from "./success-writes";

export type ClaimedJob = {
  id: string;
  type: string;
  payload: unknown;
  secretEnc: string | null;
  attempt: number;
  maxAttempts: number;
  // The rows read with the claim, by read name (claim-reads.ts).
  rows: Record<string, unknown>;
};

type Row = Record<string, unknown> & {
  id: string;
  type: string;
  payload: unknown;
  secretEnc: string | null;
  attempts: number;
  maxAttempts: number;
};

// The job types are one parameter: an array on PostgreSQL, a JSON array on SQLite.
const ofTypes = (n: number, pg: boolean) =>
  pg ? `"type" = ANY($${n}::text[])` : `"type" IN (SELECT value FROM json_each($${n}))`;

// Claimable: PENDING and its time has come, or RUNNING with its lease run out (its worker is
// presumed dead); oldest first. Each kind is read on its own in index order ([status, runAt]),
// so a claim reads a few rows however long the backlog (one condition ORing both had the whole
// backlog read and sorted at each claim). $1 now, $2 types, $5 how many; `extra` narrows both.
const PENDING = `"status" = 'PENDING' AND "runAt" <= $1`;
const EXPIRED = `"status" = 'RUNNING' AND "leaseExpiresAt" < $1`;
const branch = (due: string, pg: boolean, extra = "") => `SELECT "id", "runAt", "createdAt"
      FROM "Job" WHERE ${due} AND ${ofTypes(2, pg)}${extra}
      ORDER BY "runAt", "createdAt" LIMIT $5${pg ? " FOR UPDATE SKIP LOCKED" : ""}`;

// Claiming increments `attempts`, the fencing number every later write of this attempt must
// match. $3 worker, $4 lease end. One statement. On PostgreSQL the rows are locked FOR UPDATE
// SKIP LOCKED: concurrent claimers pass each other's rows instead of queueing behind them, and
// locking re-checks the condition against the latest committed row, so each row goes to one
// claimer. SQLite runs the statement under its single write lock: the inner selects and the
// update see the same rows. The rows the handlers read first come back with the jobs.
const TAKE = (due: string, reads: ClaimRead[], pg: boolean) => `UPDATE "Job" SET
    "status" = 'RUNNING', "attempts" = "attempts" + 1, "lockedBy" = $3, "lockedAt" = $1,
    "leaseExpiresAt" = $4
  WHERE "id" IN (${due})
  RETURNING "id", "type", "payload", "secretEnc", "attempts", "maxAttempts"${reads
    .map((r) => `,\n    ${readSql(r, pg, `"Job"`)} AS ${readColumn(r)}`)
    .join("")}`;

// PostgreSQL allows row locks in CTEs, not in the branches of a UNION. (Only the expired
// branch can meet a row being finished in the same statement: see FINISH_AND_CLAIM.)
const POSTGRES_DUE = (extra = "") => `pending AS (${branch(PENDING, true)}),
  expired AS (${branch(EXPIRED, true, extra)}),
  due AS (SELECT "id" FROM (SELECT * FROM pending UNION ALL SELECT * FROM expired) AS d
    ORDER BY "runAt", "createdAt" LIMIT $5)`;

const CLAIM_SQL = {
  postgres: (reads: ClaimRead[]) =>
    `WITH ${POSTGRES_DUE()} ${TAKE(`SELECT "id" FROM due`, reads, true)}`,
  sqlite: (reads: ClaimRead[]) =>
    TAKE(
      `SELECT "id" FROM (SELECT * FROM (${branch(PENDING, false)}) UNION ALL
    SELECT * FROM (${branch(EXPIRED, false)})) ORDER BY "runAt", "createdAt" LIMIT $5`,
      reads,
      false,
    ),
};
const claimTexts = new Map<string, string>();
const readsKey = (reads: ClaimRead[]) => reads.map((r) => r.name).join("_");

// PostgreSQL: the outcomes of finished attempts ($6) written in the same statement as the
// next claim, so a busy worker spends one round trip per batch on both. (The claim leaves
// the rows being finished alone: they are ours, still RUNNING in the statement's snapshot,
// and one statement may not update a row twice.)
// (and the success writes, $7…: see success-writes.ts)
const FINISH_AND_CLAIM = (
  writes: string[],
  reads: ClaimRead[],
) => `WITH finished AS (${FINISH_POSTGRES(6)}),
  ${writes.map((w) => `${w},\n  `).join("")}${POSTGRES_DUE(`
      AND "id" NOT IN (SELECT f."id" FROM jsonb_to_recordset($6::jsonb) AS f("id" text))`)},
  claimed AS (${TAKE(`SELECT "id" FROM due`, reads, true)})
  SELECT 'claimed' AS "kind", "id", "type", "payload", "secretEnc", "attempts", "maxAttempts"${reads
    .map((r) => `, ${readColumn(r)}`)
    .join("")}
    FROM claimed
  UNION ALL
  SELECT 'finished', "id", NULL, NULL, NULL, "attempts", NULL${reads
    .map(() => ", NULL")
    .join("")} FROM finished`;
const finishAndClaimTexts = new Map<string, string>();

// A worker's list of types is the same array at every claim: spelled in JSON once.
const typesJson = new WeakMap<string[], string>();
function typesParam(sql: Sql, types: string[]) {
  if (sql.dialect === "postgres") return types;
  let json = typesJson.get(types);
  if (json === undefined) typesJson.set(types, (json = JSON.stringify(types)));
  return json;
}

export type ClaimRequest = {
  workerId: string;
  at: Date;
  leaseMs: number;
  types: string[];
  limit: number;
  // What the handlers of these types read first (distinctReads), read with the claim.
  reads?: ClaimRead[];
};

function claimParams(sql: Sql, r: ClaimRequest) {
  return [
    sql.time(r.at),
    typesParam(sql, r.types),
    r.workerId,
    sql.time(new Date(r.at.getTime() + r.leaseMs)),
    r.limit,
  ];
}

// `writes`: the success writes made in the same statement, whose rows the reads saw before.
function claimed(sql: Sql, rows: Row[], reads: ClaimRead[], writes: PendingWrite[]) {
  return rows.map((j): ClaimedJob => {
    const payload = sql.json(j.payload);
    return {
      id: j.id,
      type: j.type,
      payload,
      secretEnc: j.secretEnc,
      attempt: Number(j.attempts),
      maxAttempts: Number(j.maxAttempts),
      rows: rowsRead(j, payload, reads, writes, sql.json),
    };
  });
}

// Claims up to `limit` due jobs of the given types for this worker, in one statement.
export async function claimJobs(
  db: DB,
  workerId: string,
  at: Date,
  leaseMs: number,
  types: string[],
  limit: number,
): Promise<ClaimedJob[]> {
  return claimNext(sqlOf(db), { workerId, at, leaseMs, types, limit });
}

// `run`: the caller's transaction, if any.
export async function claimNext(
  sql: Sql,
  request: ClaimRequest,
  run: SqlRunner = sql,
  writes: PendingWrite[] = [],
): Promise<ClaimedJob[]> {
  if (request.limit < 1 || request.types.length === 0) return [];
  const reads = request.reads ?? [];
  const key = `${sql.dialect}:${readsKey(reads)}`;
  let text = claimTexts.get(key);
  if (text === undefined) claimTexts.set(key, (text = CLAIM_SQL[sql.dialect](reads)));
  const rows = await run.query<Row>(
    text,
    claimParams(sql, request),
    `parley_claim_jobs${reads.length ? `_${readsKey(reads)}` : ""}`,
  );
  return claimed(sql, rows, reads, writes);
}

// Writes the outcomes of finished attempts (with their success writes) and claims the next jobs,
// all or nothing: one statement on PostgreSQL, one transaction (one commit) on SQLite. Returns
// the claimed jobs and the keys of the finished attempts that still held their job.
export async function finishAndClaim(
  sql: Sql,
  finishes: Finish[],
  writes: PendingWrite[],
  request: ClaimRequest,
): Promise<{ jobs: ClaimedJob[]; finished: Set<string> }> {
  if (sql.dialect === "sqlite")
    return sql.transaction(async (tx) => {
      const finished = await finishAttempts(sql, finishes, writes, tx);
      return { jobs: await claimNext(sql, request, tx, writes), finished };
    });
  const parts = writeParts(writes, 7);
  const reads = request.reads ?? [];
  const name = [parts.key && `w_${parts.key}`, reads.length ? `r_${readsKey(reads)}` : ""]
    .filter(Boolean)
    .join("_");
  let text = finishAndClaimTexts.get(name);
  if (text === undefined)
    finishAndClaimTexts.set(name, (text = FINISH_AND_CLAIM(parts.ctes, reads)));
  const rows = await sql.query<Row & { kind: string }>(
    text,
    [...claimParams(sql, request), finishesParam(sql, finishes), ...parts.params(sql)],
    `parley_finish_and_claim${name && `_${name}`}`,
  );
  const finished = new Set<string>();
  const jobs: Row[] = [];
  for (const r of rows)
    if (r.kind === "claimed") jobs.push(r);
    else finished.add(attemptKey({ id: r.id, attempt: Number(r.attempts) }));
  return { jobs: claimed(sql, jobs, reads, writes), finished };
}

// When the next job of these types becomes due (or a running one's lease runs out), in ms
// since the epoch; null when none waits. An idle worker woken by notifications sleeps until
// then instead of polling.
const NEXT_DUE = (pg: boolean, epochMs: string) => `SELECT ${epochMs} AS "at" FROM (
    SELECT min("runAt") AS t FROM "Job" WHERE "status" = 'PENDING' AND ${ofTypes(1, pg)}
    UNION ALL
    SELECT min("leaseExpiresAt") FROM "Job" WHERE "status" = 'RUNNING' AND ${ofTypes(1, pg)}
  ) AS due`;
const NEXT_DUE_SQL = {
  postgres: NEXT_DUE(true, `(extract(epoch FROM min(t)) * 1000)::float8`),
  // SQLite keeps the time as ISO text; julianday() reads it.
  sqlite: NEXT_DUE(false, `(julianday(min(t)) - 2440587.5) * 86400000.0`),
};

export async function nextDueAt(sql: Sql, types: string[]): Promise<number | null> {
  const [row] = await sql.query<{ at: number | null }>(
    NEXT_DUE_SQL[sql.dialect],
    [typesParam(sql, types)],
    "parley_next_due",
  );
  return row?.at === null || row?.at === undefined ? null : Number(row.at);
}
