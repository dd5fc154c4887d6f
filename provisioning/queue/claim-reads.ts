import type { PendingWrite } from "./success-writes";

// A row a job's handler reads first (e.g. the account an account job is about), read in the
// statement that claims the job instead of in a round trip of its own. The handler finds it in
// its context: the row, null when there is none, or undefined when it was not read this way
// (then the handler reads it itself).
export type ClaimRead = {
  // A word: names the statement's column.
  name: string;
  table: string;
  // The payload field holding the row's id.
  key: string;
  columns: string[];
};

export const readColumn = (read: ClaimRead) => `"read_${read.name}"`;

// The expression that reads one claimed job's row as JSON, in the claim's RETURNING list
// (`job` names the Job row).
export function readSql(read: ClaimRead, pg: boolean, job: string): string {
  // Aliased, so that `job` still names the claimed row when the table is "Job" itself.
  const from = `FROM "${read.table}" AS t WHERE t."id" = ${job}."payload" ->> '${read.key}'`;
  const columns = read.columns.map((c) => `t."${c}"`).join(", ");
  return pg
    ? `(SELECT row_to_json(r) FROM (SELECT ${columns} ${from}) AS r)`
    : `(SELECT json_object(${read.columns.map((c) => `'${c}', t."${c}"`).join(", ")}) ${from})`;
}

// The distinct reads of a worker's job types, in a stable order (the statement's text
// depends on it).
export function distinctReads(reads: (ClaimRead | undefined)[]): ClaimRead[] {
  const byName = new Map<string, ClaimRead>();
  for (const read of reads) if (read) byName.set(read.name, read);
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

// The rows read for one claimed job, by read name. A row that a success write in the same
// statement changes is left out: on PostgreSQL the read saw it before the write.
export function rowsRead(
  row: Record<string, unknown>,
  payload: unknown,
  reads: ClaimRead[],
  writes: PendingWrite[],
  json: (value: unknown) => unknown,
): Record<string, unknown> {
  const rows: Record<string, unknown> = {};
  for (const read of reads) {
    const id = (payload as Record<string, unknown> | null)?.[read.key];
    const written = writes.some((w) => w.write.table === read.table && w.row.id === id);
    if (!written) rows[read.name] = json(row[`read_${read.name}`] ?? null);
  }
  return rows;
}
