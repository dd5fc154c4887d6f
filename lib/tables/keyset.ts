import { z } from "zod";
import { getConfig } from "@/core/config";
import { isPostgresUrl, prisma } from "@/core/db";

// Keyset ("seek") pagination shared by the console's big lists: a page is the rows after (or
// before) the last row seen in the sort order, with the id as tie-breaker, so a deep page costs
// what the first does (no OFFSET) and rows never repeat or vanish between pages.

export const PAGE_SIZES = [25, 50, 100] as const;
export type SortDir = "asc" | "desc";
export type SortValue = string | Date;
// A row's value in a nullable sort column (e.g. "last signed in": never).
export type CursorValue = SortValue | null;

// Where a page starts: after (next) or before (previous) a row's sort value and id.
export type Cursor = { dir: "after" | "before"; value: SortValue; id: string };
export type NullableCursor = Omit<Cursor, "value"> & { value: CursorValue };

// The value is typed by the sort column; dates travel as ISO strings and come back as Dates.
export function encodeCursor(value: CursorValue, id: string): string {
  const v =
    value === null ? { n: 1 } : value instanceof Date ? { d: value.toISOString() } : { s: value };
  return Buffer.from(JSON.stringify({ ...v, i: id })).toString("base64url");
}

const ZStoredCursor = z.union([
  z.object({ d: z.iso.datetime(), i: z.string().min(1).max(64) }),
  z.object({ s: z.string().max(400), i: z.string().min(1).max(64) }),
  z.object({ n: z.literal(1), i: z.string().min(1).max(64) }),
]);

// A bad or tampered cursor is ignored (first page), never an error page.
export function decodeCursor(raw: string | undefined): { value: CursorValue; id: string } | null {
  if (!raw || raw.length > 1200) return null;
  try {
    const parsed = ZStoredCursor.safeParse(
      JSON.parse(Buffer.from(raw, "base64url").toString("utf8")),
    );
    if (!parsed.success) return null;
    const p = parsed.data;
    return { value: "d" in p ? new Date(p.d) : "s" in p ? p.s : null, id: p.i };
  } catch {
    return null;
  }
}

// Enums have no < or > in Prisma's filters, so "after status X" is "status in the values that
// sort after X" in the database's own order: text order on SQLite, which stores them as
// strings; on PostgreSQL the enum's order, which is not the schema's when a migration added a
// value (ALTER TYPE … ADD VALUE appends), so it is read from the catalog once per process.
const enumOrders = new Map<string, Promise<string[]>>();

export function enumOrder(typeName: string, declared: readonly string[]): Promise<string[]> {
  if (!isPostgresUrl(getConfig().databaseUrl)) return Promise.resolve([...declared].sort());
  let order = enumOrders.get(typeName);
  if (!order) {
    order = prisma.$queryRaw<{ label: string }[]>`SELECT e.enumlabel AS label FROM pg_enum e
        JOIN pg_type t ON t.oid = e.enumtypid WHERE t.typname = ${typeName}
        ORDER BY e.enumsortorder`.then((rows) => rows.map((r) => r.label));
    order.catch(() => enumOrders.delete(typeName));
    enumOrders.set(typeName, order);
  }
  return order;
}

// `newestFirst`: the column's first click (and default) sorts descending, as for "created".
// A nullable column says where its empty rows go in ascending order (`nulls`). `date`: the
// column holds times, so a cursor carrying text (tampered) means the first page.
export type KeysetColumn = { newestFirst?: true } & (
  | { field: string; kind: "value"; date?: true }
  | { field: string; kind: "enum"; type: string; values: readonly string[] }
  | { field: string; kind: "nullable"; nulls: "first" | "last" }
);

// The sort values strictly beyond the cursor's, or (`orEqual`) from it on.
async function beyond(column: KeysetColumn, value: SortValue, forward: boolean, orEqual = false) {
  if (column.kind === "enum") {
    const order = await enumOrder(column.type, column.values);
    const at = order.indexOf(String(value));
    const from = forward ? at + (orEqual ? 0 : 1) : 0;
    return { in: order.slice(from, forward ? undefined : Math.max(0, at + (orEqual ? 1 : 0))) };
  }
  if (orEqual) return forward ? { gte: value } : { lte: value };
  return forward ? { gt: value } : { lt: value };
}

// The Prisma where, orderBy and take of one page (a non-nullable column). `forward` means "moving in the direction the
// rows are read": ascending for asc with an after-cursor, and so on.
export async function keysetQuery(
  column: KeysetColumn,
  dir: SortDir,
  size: number,
  cursor: Cursor | null,
) {
  const backwards = cursor?.dir === "before";
  const readDir: SortDir = backwards ? (dir === "asc" ? "desc" : "asc") : dir;
  const forward = readDir === "asc";
  // The OR alone gives the database no range to seek to; the bound beside it does, so a deep
  // page starts at the cursor in the (sort column, id) index instead of scanning up to it.
  const where = cursor
    ? {
        AND: [
          { [column.field]: await beyond(column, cursor.value, forward, true) },
          {
            OR: [
              { [column.field]: await beyond(column, cursor.value, forward) },
              { [column.field]: cursor.value, id: forward ? { gt: cursor.id } : { lt: cursor.id } },
            ],
          },
        ],
      }
    : {};
  return {
    where,
    orderBy: [{ [column.field]: readDir }, { id: readDir }],
    take: size + 1,
    backwards,
  };
}

// Turns the size+1 rows read into the page in display order with its neighbours' cursors.
export function keysetPage<T extends { id: string }>(
  rows: T[],
  size: number,
  cursor: NullableCursor | null,
  backwards: boolean,
  sortValue: (row: T) => CursorValue,
) {
  const more = rows.length > size;
  const page = rows.slice(0, size);
  if (backwards) page.reverse();
  const first = page[0];
  const last = page[page.length - 1];
  const hasNext = backwards ? cursor !== null : more;
  const hasPrev = backwards ? more : cursor !== null;
  return {
    rows: page,
    next: hasNext && last ? encodeCursor(sortValue(last), last.id) : null,
    prev: hasPrev && first ? encodeCursor(sortValue(first), first.id) : null,
  };
}

// Counting every match of a filter over 100,000 rows is a full scan; count up to a cap and
// say "more than" beyond it. Prisma orders a count with `take` by id unless told: `count` gets
// the page's order to pass on, so the database walks the page's index instead of sorting every
// match (a second for 180,000 jobs). A list may count in full instead (ignoring the cap).
export const COUNT_CAP = 10_000;
export type ListCount = { value: number; exact: boolean };

// Logs (jobs, audit, outbox) are read newest first and a total past a thousand changes nothing
// one does with them; stopping there keeps a broad filter's count to a thousand index entries.
export const LOG_COUNT_CAP = 1_000;

// A text search past five hundred matches wants narrowing, not paging; counting further costs
// a trigram index scan per view (24 ms for a thousand of 17,860 on PostgreSQL).
export const SEARCH_COUNT_CAP = 500;

export function cappedCount(counted: number, cap = COUNT_CAP): ListCount {
  return counted > cap ? { value: cap, exact: false } : { value: counted, exact: true };
}

// PostgreSQL's LIKE and ILIKE take the backslash as escape character.
export const escapeLike = (q: string) => q.replace(/[\\%_]/g, "\\$&");

// Substring search: case-insensitive on both databases (SQLite's LIKE already is for ASCII;
// PostgreSQL needs ILIKE, which its trigram indexes serve). ILIKE's escape character is the
// backslash, so % and _ typed in a search are literal there; SQLite's LIKE has none (the
// indexed search in lib/tables/text-search.ts does not use it).
export function textMatch(q: string, match: "prefix" | "contains") {
  const pg = isPostgresUrl(getConfig().databaseUrl);
  const text = pg ? escapeLike(q) : q;
  const insensitive = pg ? { mode: "insensitive" as const } : {};
  return match === "prefix"
    ? { startsWith: text, ...insensitive }
    : { contains: text, ...insensitive };
}

// "team@muc.example.org" searches an address's local part and domain apart (both lower case):
// "starts with" wants the whole local part and the domain's beginning; "contains" any part of
// the local part. Null when the query is no address.
export function addressMatch(
  q: string,
  match: "prefix" | "contains",
  fields: { local: string; domain: string },
) {
  if (!q.includes("@")) return null;
  const [local, domain] = q.toLowerCase().split("@", 2);
  return {
    [fields.local]: match === "prefix" ? { equals: local } : textMatch(local, "contains"),
    ...(domain ? { [fields.domain]: textMatch(domain, "prefix") } : {}),
  };
}

// Does the database compare text byte by byte? SQLite does (BINARY); PostgreSQL does under
// the C collations only, read from the catalog once per process.
let byteOrder: Promise<boolean> | undefined;
function comparesBytes(): Promise<boolean> {
  if (!isPostgresUrl(getConfig().databaseUrl)) return Promise.resolve(true);
  byteOrder ??= prisma.$queryRaw<
    { collate: string }[]
  >`SELECT datcollate AS collate FROM pg_database
        WHERE datname = current_database()`.then(([row]) =>
    /^(C|POSIX|C\.utf-?8)$/i.test(row?.collate ?? ""),
  );
  byteOrder.catch(() => (byteOrder = undefined));
  return byteOrder;
}

// Case-sensitive "starts with" that an index on the column serves. A LIKE 'p%' does not on
// SQLite (its LIKE ignores case) nor on PostgreSQL outside the "C" collation; under byte order,
// [p, p with its last character raised) holds exactly the strings that start with p. Under a
// linguistic collation that range is wrong (punctuation is skipped), so LIKE it is.
export async function startsWithIndexed(prefix: string) {
  if (!(await comparesBytes())) return { startsWith: prefix };
  const last = prefix.codePointAt(prefix.length - 1)!;
  return { gte: prefix, lt: prefix.slice(0, -1) + String.fromCodePoint(last + 1) };
}

// Ids are cuids: a search word shaped like one is looked up as an id (an index seek), not as
// text (a scan).
export const looksLikeId = (q: string) => /^c[a-z0-9]{20,31}$/.test(q);

// Search params shared by the lists: zod turns whatever the URL holds into a valid view.
export const ZListBase = z.object({
  q: z.string().trim().max(100).optional().catch(undefined),
  match: z.enum(["prefix", "contains"]).catch("contains"),
  dir: z.enum(["asc", "desc"]).optional().catch(undefined),
  size: z.coerce
    .number()
    .refine((n) => (PAGE_SIZES as readonly number[]).includes(n))
    .catch(25),
  after: z.string().max(1200).optional().catch(undefined),
  before: z.string().max(1200).optional().catch(undefined),
  from: z.iso.date().optional().catch(undefined),
  to: z.iso.date().optional().catch(undefined),
});

export function cursorOf(params: { after?: string; before?: string }): NullableCursor | null {
  const before = decodeCursor(params.before);
  if (before) return { dir: "before", ...before };
  const after = decodeCursor(params.after);
  return after ? { dir: "after", ...after } : null;
}

// The bounds of a from/to pair of days: `to` is inclusive of its whole day (UTC).
export function dayBounds(from?: string, to?: string): { gte?: Date; lt?: Date } {
  const end = to ? new Date(`${to}T00:00:00.000Z`) : undefined;
  if (end) end.setUTCDate(end.getUTCDate() + 1);
  return {
    ...(from ? { gte: new Date(`${from}T00:00:00.000Z`) } : {}),
    ...(end ? { lt: end } : {}),
  };
}

// A date range on one column.
export function dateRange<F extends string>(
  field: F,
  from?: string,
  to?: string,
): Partial<Record<F, { gte?: Date; lt?: Date }>> {
  if (!from && !to) return {};
  return { [field]: dayBounds(from, to) } as Record<F, { gte?: Date; lt?: Date }>;
}

export function createdRange(from?: string, to?: string) {
  return dateRange("createdAt", from, to);
}

// A nullable column's page, read as up to two ranges: the rows with a value and those
// without. Each database puts NULLs at its own end of an ORDER BY (SQLite first, PostgreSQL
// last), so neither order is asked of it; each range is a plain walk of the (column, id) index.
export function nullableSegments(
  column: { field: string; nulls: "first" | "last" },
  readDir: SortDir,
  cursor: NullableCursor | null,
) {
  const { field } = column;
  const forward = readDir === "asc";
  const nullsLead = forward === (column.nulls === "first");
  const idBeyond = cursor ? { id: forward ? { gt: cursor.id } : { lt: cursor.id } } : {};
  const empty = {
    where: { [field]: null, ...(cursor?.value === null ? idBeyond : {}) },
    orderBy: [{ id: readDir }],
  };
  const v = cursor?.value ?? null;
  const valued = {
    where:
      v === null
        ? { [field]: { not: null } }
        : { OR: [{ [field]: forward ? { gt: v } : { lt: v } }, { [field]: v, ...idBeyond }] },
    orderBy: [{ [field]: readDir }, { id: readDir }],
  };
  if (!cursor) return nullsLead ? [empty, valued] : [valued, empty];
  if (cursor.value === null) return nullsLead ? [empty, valued] : [empty];
  return nullsLead ? [valued] : [valued, empty];
}

type Segment = { where: object; orderBy: object[] };

async function pagePlan(
  column: KeysetColumn,
  dir: SortDir,
  size: number,
  cursor: NullableCursor | null,
): Promise<{ backwards: boolean; segments: Segment[] }> {
  if (column.kind === "nullable") {
    const backwards = cursor?.dir === "before";
    const readDir: SortDir = backwards ? (dir === "asc" ? "desc" : "asc") : dir;
    return { backwards, segments: nullableSegments(column, readDir, cursor) };
  }
  // A value-less cursor belongs to a nullable sort: here it is stale, so start over.
  const valued = cursor && cursor.value !== null ? { ...cursor, value: cursor.value } : null;
  const { backwards, where, orderBy } = await keysetQuery(column, dir, size, valued);
  return { backwards, segments: [{ where, orderBy }] };
}

type ListPageParams<S extends string> = {
  sort: S;
  dir?: SortDir;
  size: number;
  after?: string;
  before?: string;
};

// The default direction of a sort: newest first for "created" and columns that say so.
export function defaultDir(sort: string, column: KeysetColumn): SortDir {
  return sort === "created" || column.newestFirst ? "desc" : "asc";
}

// One page of a console list and its capped count: the keyset of the chosen sort column, the
// rows read with it, and the neighbours' cursors. `read` gets each range's where/orderBy/take to
// combine with the list's own filter (one range, or two for a nullable column).
export async function readListPage<S extends string, T extends { id: string }>(
  params: ListPageParams<S>,
  list: {
    column: KeysetColumn;
    read: (page: { where: object; orderBy: object[]; take: number }) => Promise<T[]>;
    sortValue: (row: T) => CursorValue;
    // `orderBy`: the page's, for a capped count to walk the same index (see COUNT_CAP).
    count: (cap: number, orderBy: object[]) => Promise<number>;
    countCap?: number;
  },
) {
  const dir = params.dir ?? defaultDir(params.sort, list.column);
  const column = list.column;
  const read = cursorOf(params);
  const cursor =
    read && column.kind === "value" && column.date && !(read.value instanceof Date) ? null : read;
  const { backwards, segments } = await pagePlan(list.column, dir, params.size, cursor);
  const readRows = async () => {
    const rows: T[] = [];
    for (const segment of segments) {
      if (rows.length > params.size) break;
      rows.push(...(await list.read({ ...segment, take: params.size + 1 - rows.length })));
    }
    return rows;
  };
  const cap = list.countCap ?? COUNT_CAP;
  const counting = list.count(cap + 1, segments[0].orderBy);
  const [rows, counted] = await Promise.all([readRows(), counting]);
  const usable = list.column.kind === "nullable" ? cursor : cursor?.value === null ? null : cursor;
  const result = keysetPage(rows, params.size, usable, backwards, list.sortValue);
  return { ...result, count: cappedCount(counted, cap), sort: params.sort, dir };
}
