import { csvExportStream } from "@/lib/tables/csv-export";
import { accountsCsv } from "@/lib/accounts/export-table";
import { customersCsv } from "@/lib/customers/export-table";

// Every console list that exports as CSV, by the name in /console/export/<name>. A new table
// is one entry: its csvTable (permission, params, batch reader, columns) beside its list query.
export const CSV_TABLES = {
  customers: customersCsv,
  accounts: accountsCsv,
} as const;

export type CsvTableName = keyof typeof CSV_TABLES;

export function isCsvTableName(name: string): name is CsvTableName {
  return Object.hasOwn(CSV_TABLES, name);
}

type Viewer = Parameters<typeof csvExportStream>[3];

// The named table's CSV for this viewer (who has been checked for the table's permission).
export function exportTable(
  name: CsvTableName,
  rawParams: Record<string, unknown>,
  viewer: Viewer,
  options?: { batchSize?: number },
): ReadableStream<Uint8Array> {
  // Each entry is checked against its own row type where it is defined; here they are one kind.
  const table = CSV_TABLES[name] as unknown as Parameters<typeof csvExportStream>[1];
  return csvExportStream(name, table, rawParams, viewer, options);
}
