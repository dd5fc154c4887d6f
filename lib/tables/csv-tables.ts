import { csvExportStream } from "@/lib/tables/csv-export";
import { accountsCsv } from "@/lib/accounts/export-table";
import { auditCsv } from "@/lib/audit/export-table";
import { customersCsv } from "@/lib/customers/export-table";
import { invitesCsv } from "@/lib/invites/export-table";
import { jobsCsv } from "@/lib/jobs/export-table";
import { outboxCsv } from "@/lib/notifications/export-table";
import { roomsCsv } from "@/lib/rooms/export-table";
import { portalUsersCsv } from "@/lib/users/export-table";

// Every console list that exports as CSV, by the name in /console/export/<name>. A new table
// is one entry: its csvTable (permission, params, batch reader, columns) beside its list query.
export const CSV_TABLES = {
  customers: customersCsv,
  accounts: accountsCsv,
  rooms: roomsCsv,
  invites: invitesCsv,
  jobs: jobsCsv,
  audit: auditCsv,
  "portal-users": portalUsersCsv,
  outbox: outboxCsv,
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
