import type { Sql } from "@/core/sql";

// A handler's last write, made with its job's success instead of on its own: on PostgreSQL in
// the statement that records the outcome (no round trip of its own), on SQLite right before it.
// Either way it applies only while the attempt still holds its job (RUNNING with its fencing
// number), like the outcome: a fenced-out attempt changes nothing.
export type SuccessWrite = {
  // A word: names the statement's part.
  name: string;
  table: string;
  // The incoming row's columns besides "id" (the row to update), with their PostgreSQL types.
  columns: Record<string, string>;
  // The SET list, reading the incoming row as w (e.g. `"status" = w."status"`); PostgreSQL may
  // need casts (enums).
  set: { postgres: string; sqlite: string };
};

export type SuccessRow = { id: string } & Record<string, string | number | Date | null>;

export type PendingWrite = { write: SuccessWrite; jobId: string; attempt: number; row: SuccessRow };

const HOLDS = `EXISTS (SELECT 1 FROM "Job" AS j
    WHERE j."id" = w."jobId" AND j."attempts" = w."attempt" AND j."status" = 'RUNNING')`;

// The UPDATE for one kind of write; $n holds its rows (writeParam).
export function writeSql(write: SuccessWrite, pg: boolean, n: number): string {
  const names = ["id", ...Object.keys(write.columns)];
  const rows = pg
    ? `jsonb_to_recordset($${n}::jsonb) AS w("jobId" text, "attempt" int, ${names
        .map((c) => `"${c}" ${write.columns[c] ?? "text"}`)
        .join(", ")})`
    : `(SELECT value ->> 'jobId' AS "jobId", value ->> 'attempt' AS "attempt", ${names
        .map((c) => `value ->> '${c}' AS "${c}"`)
        .join(", ")} FROM json_each($${n})) AS w`;
  const set = pg ? write.set.postgres : write.set.sqlite;
  return `UPDATE "${write.table}" SET ${set} FROM ${rows}
    WHERE "${write.table}"."id" = w."id" AND ${HOLDS}`;
}

// The pending writes by kind, in a stable order (the statement's text depends on it).
export function byKind(writes: PendingWrite[]): [SuccessWrite, PendingWrite[]][] {
  const kinds = new Map<string, [SuccessWrite, PendingWrite[]]>();
  for (const w of writes) {
    const kind = kinds.get(w.write.name) ?? [w.write, []];
    kind[1].push(w);
    kinds.set(w.write.name, kind);
  }
  return [...kinds.values()].sort(([a], [b]) => a.name.localeCompare(b.name));
}

export function writeParam(sql: Sql, writes: PendingWrite[]): string {
  return JSON.stringify(
    writes.map((w) => ({
      jobId: w.jobId,
      attempt: w.attempt,
      ...Object.fromEntries(
        Object.entries(w.row).map(([k, v]) => [k, v instanceof Date ? sql.time(v) : v]),
      ),
    })),
  );
}
