import type { z } from "zod";
import type { CsvRecord, RowError } from "@/lib/imports/types";

export { readInChunks } from "@/lib/tables/chunks";

// Helpers the kinds of import share.

// Each record through the row schema: the rows that parse, and one error per bad cell.
export function parseRows<S extends z.ZodType>(records: CsvRecord[], schema: S) {
  const parsed: { row: number; value: z.infer<S> }[] = [];
  const errors: RowError[] = [];
  for (const { row, values } of records) {
    const result = schema.safeParse(values);
    if (result.success) {
      parsed.push({ row, value: result.data });
      continue;
    }
    const seen = new Set<string>();
    for (const issue of result.error.issues) {
      const column = String(issue.path[0] ?? "");
      if (seen.has(column)) continue;
      seen.add(column);
      errors.push({ row, column, message: issue.message });
    }
  }
  return { parsed, errors };
}

// The first row each key appeared on; a later row with the same key is a duplicate of it.
export function duplicateOf() {
  const first = new Map<string, number>();
  return (key: string, row: number): number | null => {
    const earlier = first.get(key);
    if (earlier !== undefined) return earlier;
    first.set(key, row);
    return null;
  };
}

export const byRow = (a: { row: number }, b: { row: number }) => a.row - b.row;

// Map.groupBy, which Node 20 lacks.
export function groupBy<T, K>(items: T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
