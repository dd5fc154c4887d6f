import { stringify } from "csv-stringify/sync";
import type { z } from "zod";
import { recordAudit } from "@/lib/audit/record-audit";
import type { Permission, Principal } from "@/lib/auth/policy";
import { seesBilling } from "@/lib/billing/visibility";
import {
  defaultDir,
  keysetQuery,
  type KeysetColumn,
  type SortDir,
  type SortValue,
} from "@/lib/tables/keyset";

// CSV export of a console list: every row the list's filter matches (not one page), read in
// keyset batches and written as they come, so memory stays flat however many rows match. Each
// table is one entry (lib/tables/csv-tables.ts): who may export it, how its URL params parse,
// how a batch is read, and its columns.

export const EXPORT_BATCH_SIZE = 1000;

type Cell = string | number | boolean | Date | null | undefined;
export type CsvColumn<T> = {
  header: string;
  value: (row: T) => Cell;
  // Only for viewers who see billing (lib/billing/visibility.ts).
  billing?: true;
};

type Batch = { where: object; orderBy: object[]; take: number };

export type CsvTable<P extends { sort: string; dir?: SortDir }, T extends { id: string }> = {
  permission: Permission;
  // The list page's own params schema: the export link carries the page's address.
  params: z.ZodType<P>;
  sorts: Record<P["sort"], KeysetColumn>;
  // The list's filter, as a Prisma where; the viewer is for tables whose rows depend on who
  // reads them (billing audit events and jobs: auditVisibleTo, jobsVisibleTo).
  where: (params: P, viewer: Principal) => object | Promise<object>;
  // One batch: the filter and the keyset's where combined, ordered, limited.
  read: (batch: Batch) => Promise<T[]>;
  columns: CsvColumn<T>[];
};

// Keeps the entry's row type while the registry holds entries of several tables.
export function csvTable<P extends { sort: string; dir?: SortDir }, T extends { id: string }>(
  table: CsvTable<P, T>,
): CsvTable<P, T> {
  return table;
}

// A spreadsheet runs a cell that starts with one of these as a formula; a leading quote makes
// it text.
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: Cell): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return value.toISOString();
  if (typeof value !== "string") return String(value);
  return FORMULA_START.test(value) ? `'${value}` : value;
}

// RFC 4180: CRLF between records; a field with a comma, quote or line break is quoted, quotes
// doubled (csv-stringify quotes those, and quoted_match adds lone CR and LF).
export function csvLines(rows: Cell[][]): string {
  return stringify(
    rows.map((r) => r.map(csvCell)),
    {
      record_delimiter: "\r\n",
      quoted_match: /[\r\n]/,
    },
  );
}

export function visibleColumns<T>(columns: CsvColumn<T>[], viewer: Principal): CsvColumn<T>[] {
  return seesBilling(viewer) ? columns : columns.filter((c) => !c.billing);
}

// The list params that define what matches, without paging (an export has no pages).
function filterOf(raw: Record<string, unknown>) {
  const { after: _a, before: _b, size: _s, ...filter } = raw;
  return Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined));
}

export function exportFileName(table: string, at: Date): string {
  return `parley-${table}-${at.toISOString().slice(0, 10)}.csv`;
}

type Viewer = Principal & { email: string };

// The CSV as a pull stream: a batch is read only when the reader wants more, so a slow or
// abandoned download holds no more than one batch. The audit row records the table, the
// filter and how many rows left, once the stream ends or the reader gives up.
export function csvExportStream<
  P extends { sort: string; dir?: SortDir },
  T extends { id: string },
>(
  name: string,
  table: CsvTable<P, T>,
  rawParams: Record<string, unknown>,
  viewer: Viewer,
  options: { batchSize?: number } = {},
): ReadableStream<Uint8Array> {
  const params = table.params.parse(rawParams);
  const size = options.batchSize ?? EXPORT_BATCH_SIZE;
  const sorted = table.sorts[params.sort as P["sort"]];
  const dir: SortDir = params.dir ?? defaultDir(params.sort, sorted);
  // keysetQuery walks one range; a nullable column's rows are two (with and without a value,
  // lib/tables/keyset.ts), so such an export is read in id order: every row, once.
  const column: KeysetColumn = sorted.kind === "nullable" ? { field: "id", kind: "value" } : sorted;
  const columns = visibleColumns(table.columns, viewer);
  // Read once, on the first pull (a list's search may need a query to build its where).
  const filter = Promise.resolve().then(() => table.where(params, viewer));
  filter.catch(() => undefined); // awaited by the first pull, which reports it
  const encoder = new TextEncoder();
  let cursor: { dir: "after"; value: SortValue; id: string } | null = null;
  let started = false;
  let rows = 0;
  let audited = false;
  const audit = async (complete: boolean) => {
    if (audited) return;
    audited = true;
    await recordAudit({
      actor: viewer,
      action: "table.exported",
      targetType: "table",
      targetId: name,
      details: { table: name, filter: filterOf(params), rows, complete },
    });
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        // The byte-order mark tells spreadsheets the file is UTF-8.
        controller.enqueue(encoder.encode(`\uFEFF${csvLines([columns.map((c) => c.header)])}`));
        return;
      }
      const { where, orderBy } = await keysetQuery(column, dir, size, cursor);
      const batch = await table.read({
        where: { AND: [await filter, where] },
        orderBy,
        take: size,
      });
      rows += batch.length;
      if (batch.length > 0) {
        controller.enqueue(
          encoder.encode(csvLines(batch.map((r) => columns.map((c) => c.value(r))))),
        );
        const last = batch[batch.length - 1];
        const value = (last as Record<string, unknown>)[column.field] as SortValue;
        cursor = { dir: "after", value, id: last.id };
      }
      if (batch.length < size) {
        await audit(true);
        controller.close();
      }
    },
    async cancel() {
      await audit(false);
    },
  });
}
