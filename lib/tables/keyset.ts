import { z } from "zod";
import { getConfig } from "@/core/config";
import { isPostgresUrl, prisma } from "@/core/db";

// Keyset ("seek") pagination shared by the console's big lists: a page is the rows after (or
// before) the last row seen in the sort order, with the id as tie-breaker, so a deep page costs
// what the first does (no OFFSET) and rows never repeat or vanish between pages.

export const PAGE_SIZES = [25, 50, 100] as const;
export type SortDir = "asc" | "desc";
export type SortValue = string | Date;

// Where a page starts: after (next) or before (previous) a row's sort value and id.
export type Cursor = { dir: "after" | "before"; value: SortValue; id: string };

// The value is typed by the sort column; dates travel as ISO strings and come back as Dates.
export function encodeCursor(value: SortValue, id: string): string {
  const v = value instanceof Date ? { d: value.toISOString() } : { s: value };
  return Buffer.from(JSON.stringify({ ...v, i: id })).toString("base64url");
}

const ZStoredCursor = z.union([
  z.object({ d: z.iso.datetime(), i: z.string().min(1).max(64) }),
  z.object({ s: z.string().max(400), i: z.string().min(1).max(64) }),
]);

// A bad or tampered cursor is ignored (first page), never an error page.
export function decodeCursor(raw: string | undefined): { value: SortValue; id: string } | null {
  if (!raw || raw.length > 1200) return null;
  try {
    const parsed = ZStoredCursor.safeParse(
      JSON.parse(Buffer.from(raw, "base64url").toString("utf8")),
    );
    if (!parsed.success) return null;
    const p = parsed.data;
    return { value: "d" in p ? new Date(p.d) : p.s, id: p.i };
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

export type KeysetColumn =
  | { field: string; kind: "value" }
  | { field: string; kind: "enum"; type: string; values: readonly string[] };

async function beyond(column: KeysetColumn, value: SortValue, forward: boolean) {
  if (column.kind === "enum") {
    const order = await enumOrder(column.type, column.values);
    const at = order.indexOf(String(value));
    return { in: forward ? order.slice(at + 1) : order.slice(0, Math.max(0, at)) };
  }
  return forward ? { gt: value } : { lt: value };
}

// The Prisma where, orderBy and take of one page. `forward` means "moving in the direction the
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
  const where = cursor
    ? {
        OR: [
          { [column.field]: await beyond(column, cursor.value, forward) },
          { [column.field]: cursor.value, id: forward ? { gt: cursor.id } : { lt: cursor.id } },
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
  cursor: Cursor | null,
  backwards: boolean,
  sortValue: (row: T) => SortValue,
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
// say "more than" beyond it.
export const COUNT_CAP = 10_000;
export type ListCount = { value: number; exact: boolean };

export function cappedCount(counted: number): ListCount {
  return counted > COUNT_CAP ? { value: COUNT_CAP, exact: false } : { value: counted, exact: true };
}

// Substring search: case-insensitive on both databases (SQLite's LIKE already is for ASCII;
// PostgreSQL needs ILIKE, which its trigram indexes serve). ILIKE's escape character is the
// backslash, so % and _ typed in a search are literal there; SQLite's LIKE has none (the
// indexed search in lib/tables/text-search.ts does not use it).
export function textMatch(q: string, match: "prefix" | "contains") {
  const pg = isPostgresUrl(getConfig().databaseUrl);
  const text = pg ? q.replace(/[\\%_]/g, "\\$&") : q;
  const insensitive = pg ? { mode: "insensitive" as const } : {};
  return match === "prefix"
    ? { startsWith: text, ...insensitive }
    : { contains: text, ...insensitive };
}

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

export function cursorOf(params: { after?: string; before?: string }): Cursor | null {
  const before = decodeCursor(params.before);
  if (before) return { dir: "before", ...before };
  const after = decodeCursor(params.after);
  return after ? { dir: "after", ...after } : null;
}

// Created-date range: `to` is inclusive of its whole day (UTC).
export function createdRange(from?: string, to?: string) {
  if (!from && !to) return {};
  const end = to ? new Date(`${to}T00:00:00.000Z`) : undefined;
  if (end) end.setUTCDate(end.getUTCDate() + 1);
  return {
    createdAt: {
      ...(from ? { gte: new Date(`${from}T00:00:00.000Z`) } : {}),
      ...(end ? { lt: end } : {}),
    },
  };
}

type ListPageParams<S extends string> = {
  sort: S;
  dir?: SortDir;
  size: number;
  after?: string;
  before?: string;
};
type KeysetArgs = Awaited<ReturnType<typeof keysetQuery>>;

// One page of a console list and its capped count: the keyset of the chosen sort column
// (newest first for "created", A→Z otherwise), the rows read with it, and the neighbours'
// cursors. `read` gets the page's where/orderBy/take to combine with the list's own filter.
export async function readListPage<S extends string, T extends { id: string }>(
  params: ListPageParams<S>,
  list: {
    column: KeysetColumn;
    read: (page: Omit<KeysetArgs, "backwards">) => Promise<T[]>;
    sortValue: (row: T) => SortValue;
    count: (cap: number) => Promise<number>;
  },
) {
  const dir = params.dir ?? (params.sort === "created" ? "desc" : "asc");
  const cursor = cursorOf(params);
  const { backwards, ...page } = await keysetQuery(list.column, dir, params.size, cursor);
  const [rows, counted] = await Promise.all([list.read(page), list.count(COUNT_CAP + 1)]);
  const result = keysetPage(rows, params.size, cursor, backwards, list.sortValue);
  return { ...result, count: cappedCount(counted), sort: params.sort, dir };
}
