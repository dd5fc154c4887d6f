import type { Sql, SqlRunner } from "@/core/sql";
import { byKind, writeParam, writeSql, type PendingWrite } from "./success-writes";

// The outcome writes of attempts, many in one statement. Each row matches the job's id, the
// attempt's fencing number and RUNNING: a worker whose lease ran out, or whose job was
// cancelled, writes nothing for that job and learns it lost it (its key is not returned).
export type Finish = {
  id: string;
  attempt: number;
  // SUCCEEDED and FAILED end the job at `at`; PENDING puts it back, due at `at`.
  status: "SUCCEEDED" | "PENDING" | "FAILED";
  at: Date;
  result?: unknown;
  error?: string;
};

// "id#attempt": how the queue names an attempt.
export const attemptKey = (job: { id: string; attempt: number }) => `${job.id}#${job.attempt}`;

// The rows to write, as one JSON parameter (PostgreSQL reads it with jsonb_to_recordset,
// SQLite with json_each). A missing result is SQL NULL.
export function finishesParam(sql: Sql, finishes: Finish[]): string {
  return JSON.stringify(
    finishes.map((f) => ({
      id: f.id,
      attempts: f.attempt,
      status: f.status,
      at: sql.time(f.at),
      ...(f.result === undefined || f.result === null ? {} : { result: f.result }),
      error: f.error ?? null,
    })),
  );
}

// A retry keeps its secret and its finishedAt; an ended job loses its secret. `j` is the row,
// `f` the outcome.
const SET = (j: string) => `"status" = f."status"${j === "j" ? `::"JobStatus"` : ""},
    "finishedAt" = CASE WHEN f."status" = 'PENDING' THEN ${j}."finishedAt" ELSE f."at" END,
    "runAt" = CASE WHEN f."status" = 'PENDING' THEN f."at" ELSE ${j}."runAt" END,
    "result" = CASE WHEN f."status" = 'SUCCEEDED' THEN f."result" ELSE ${j}."result" END,
    "lastError" = f."error",
    "secretEnc" = CASE WHEN f."status" = 'PENDING' THEN ${j}."secretEnc" END,
    "lockedBy" = NULL,
    "leaseExpiresAt" = NULL`;

const MATCH = (j: string) =>
  `${j}."id" = f."id" AND ${j}."attempts" = f."attempts" AND ${j}."status" = 'RUNNING'`;

// $n is the finishesParam.
export const FINISH_POSTGRES = (n: number) => `UPDATE "Job" AS j SET ${SET("j")}
  FROM jsonb_to_recordset($${n}::jsonb) AS f("id" text, "attempts" int, "status" text,
    "at" timestamp(3), "result" jsonb, "error" text)
  WHERE ${MATCH("j")}
  RETURNING j."id", j."attempts"`;

export const FINISH_SQLITE = (n: number) => `UPDATE "Job" SET ${SET(`"Job"`)}
  FROM (SELECT value ->> 'id' AS "id", value ->> 'attempts' AS "attempts",
      value ->> 'status' AS "status", value ->> 'at' AS "at", value -> 'result' AS "result",
      value ->> 'error' AS "error"
    FROM json_each($${n})) AS f
  WHERE ${MATCH(`"Job"`)}
  RETURNING "Job"."id", "Job"."attempts"`;

// The handlers' success writes as parts of a PostgreSQL statement ($n, $n+1… hold their rows),
// keyed by the kinds present; with the outcomes in the same statement they see the job still
// RUNNING, as they would have just before it.
export function writeParts(writes: PendingWrite[], n: number) {
  const kinds = byKind(writes);
  return {
    key: kinds.map(([w]) => w.name).join("_"),
    ctes: kinds.map(([w], i) => `w_${w.name} AS (${writeSql(w, true, n + i)})`),
    params: (sql: Sql) => kinds.map(([, rows]) => writeParam(sql, rows)),
  };
}

const texts = new Map<string, string>();
function finishText(writes: PendingWrite[]): {
  text: string;
  name: string;
  params: (sql: Sql) => string[];
} {
  const parts = writeParts(writes, 2);
  let text = texts.get(parts.key);
  if (text === undefined) {
    text = parts.ctes.length
      ? `WITH ${parts.ctes.join(",\n  ")},\n  finished AS (${FINISH_POSTGRES(1)})
  SELECT "id", "attempts" FROM finished`
      : FINISH_POSTGRES(1);
    texts.set(parts.key, text);
  }
  return { text, name: `parley_finish_jobs${parts.key && `_${parts.key}`}`, params: parts.params };
}

const FINISH_ON_SQLITE = FINISH_SQLITE(1);

// Writes the outcomes, with the success writes of the attempts that succeeded; returns the
// keys of the attempts that still held their job. On SQLite the success writes and the outcomes
// are one transaction (one commit); `run` is the caller's transaction when it has one.
export async function finishAttempts(
  sql: Sql,
  finishes: Finish[],
  writes: PendingWrite[] = [],
  run?: SqlRunner,
): Promise<Set<string>> {
  if (finishes.length === 0) return new Set();
  let rows: { id: string; attempts: number }[];
  if (sql.dialect === "postgres") {
    const { text, name, params } = finishText(writes);
    rows = await (run ?? sql).query(text, [finishesParam(sql, finishes), ...params(sql)], name);
  } else {
    const finish = async (tx: SqlRunner) => {
      for (const [write, pending] of byKind(writes))
        await tx.execute(writeSql(write, false, 1), [writeParam(sql, pending)]);
      return tx.query<{ id: string; attempts: number }>(FINISH_ON_SQLITE, [
        finishesParam(sql, finishes),
      ]);
    };
    rows = run
      ? await finish(run)
      : writes.length
        ? await sql.transaction(finish)
        : await finish(sql);
  }
  return new Set(rows.map((r) => attemptKey({ id: r.id, attempt: Number(r.attempts) })));
}
