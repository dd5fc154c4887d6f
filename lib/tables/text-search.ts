import { getConfig } from "@/core/config";
import { isPostgresUrl, prisma } from "@/core/db";
import { Prisma } from "@/generated/sqlite/client";
import { conditionsSql, type Condition } from "@/lib/tables/conditions";
import { escapeLike, textMatch } from "@/lib/tables/keyset";

// Case-insensitive prefix or substring search over a table's text columns, as a Prisma where.
// PostgreSQL: ILIKE, served by the pg_trgm GIN indexes (a prefix's count by lower(column)
// indexes). SQLite: LIKE cannot use an index, so queries of 3 characters or more go through
// the table's trigram FTS5 index (prisma/migrations/*_sqlite_text_search) and become an id
// list; shorter ones scan.
// Case folds (Unicode on PostgreSQL with a UTF-8 locale and in FTS5; ASCII only for 1-2
// character queries on SQLite), accents do not; %, _ and quotes in a query are literal, except
// on SQLite when more than MAX_ID_LIST rows match (then LIKE, which has no escape there).
// The FTS5 tables follow the base tables' rowids, which a VACUUM may renumber (Parley runs
// none): after one, INSERT INTO "CustomerSearch"("CustomerSearch") VALUES ('rebuild'), and the
// same for "XmppAccountSearch".

export const SEARCHABLE = {
  Customer: ["name", "contactEmail"],
  XmppAccount: ["localpart", "domain", "displayName"],
} as const;
export type SearchTable = keyof typeof SEARCHABLE;
export type SearchColumn<T extends SearchTable> = (typeof SEARCHABLE)[T][number];
export type TextMatch = "prefix" | "contains";

// Trigram indexes need three characters to look anything up.
export const MIN_INDEXED_CHARS = 3;
// Matches beyond this many become a LIKE filter instead of an id list: each id is a bound
// value (about 10 µs apiece through Prisma), while a LIKE over rows in the page's index order
// finds a page of a common word after a short scan. Counts of searches stop at
// SEARCH_COUNT_CAP and, on SQLite, come from countTextMatches.
export const MAX_ID_LIST = 500;

export function likeWhere(column: string, q: string, match: TextMatch) {
  return { [column]: textMatch(q, match) };
}

function anyColumn(columns: readonly string[], q: string, match: TextMatch) {
  const parts = columns.map((c) => likeWhere(c, q, match));
  return parts.length === 1 ? parts[0] : { OR: parts };
}

// An FTS5 query for the literal text in the given columns: one quoted phrase (trigrams in a
// row = a substring), anchored to the column's start for a prefix.
export function ftsQuery(columns: readonly string[], q: string, match: TextMatch): string {
  const phrase = `"${q.replaceAll('"', '""')}"`;
  return `{${columns.join(" ")}} : ${match === "prefix" ? "^" : ""}${phrase}`;
}

// Table and column names below come from SEARCHABLE, never from the request.
async function ids(sql: string, ...args: unknown[]) {
  const rows = await prisma.$queryRawUnsafe<{ id: string }[]>(sql, ...args, MAX_ID_LIST + 1);
  return rows.map((r) => r.id);
}

// The index alone says first whether the matches are few (a rowid list, no table reads): a
// common word then skips the join that would read a thousand rows only to be dropped.
async function ftsIds(table: SearchTable, columns: readonly string[], q: string, m: TextMatch) {
  const match = ftsQuery(columns, q, m);
  const [{ n }] = await prisma.$queryRawUnsafe<{ n: bigint | number }[]>(
    `SELECT count(*) AS n FROM (SELECT rowid FROM "${table}Search"
     WHERE "${table}Search" MATCH ? LIMIT ?)`,
    match,
    MAX_ID_LIST + 1,
  );
  if (Number(n) > MAX_ID_LIST) return null;
  return ids(
    `SELECT t."id" AS id FROM "${table}Search" s JOIN "${table}" t ON t.rowid = s.rowid
     WHERE "${table}Search" MATCH ? LIMIT ?`,
    match,
  );
}

// The rows matching a search and the list's other conditions, counted up to `cap` in one
// statement with no ORDER BY, so each database takes its text index: on SQLite the FTS5 match
// joined to the table by rowid (no id list, no LIKE scan), on PostgreSQL the trigram indexes'
// bitmap (an ordered count would walk the sort index and test every row). Null for SQLite
// queries too short for trigrams: count the list's where through Prisma instead.
export function countTextMatches<T extends SearchTable>(
  table: T,
  columns: readonly SearchColumn<T>[],
  q: string,
  match: TextMatch,
  conditions: Condition[],
  cap: number,
): Promise<number> | null {
  const pg = isPostgresUrl(getConfig().databaseUrl);
  if (!pg && [...q].length < MIN_INDEXED_CHARS) return null;
  const t = Prisma.raw(`"${table}"`);
  const where = conditionsSql(conditions, "t", pg ? "postgres" : "sqlite");
  let text: Prisma.Sql;
  if (pg) {
    // A prefix as a range over the lower(column) indexes (migration prefix_search_indexes); a
    // substring through the trigram indexes. Both fold case as the rows' ILIKE does.
    const tests =
      match === "prefix"
        ? columns.map(
            (c) => Prisma.sql`lower(${Prisma.raw(`t."${c}"`)}) LIKE lower(${`${escapeLike(q)}%`})`,
          )
        : columns.map((c) => Prisma.sql`${Prisma.raw(`t."${c}"`)} ILIKE ${`%${escapeLike(q)}%`}`);
    text = Prisma.sql`(${Prisma.join(tests, " OR ")})`;
  } else {
    const s = Prisma.raw(`"${table}Search"`);
    text = Prisma.sql`t.rowid IN (SELECT rowid FROM ${s} WHERE ${s} MATCH ${ftsQuery(columns, q, match)})`;
  }
  const count = Prisma.sql`SELECT count(*) AS n FROM (SELECT 1 FROM ${t} t
      WHERE ${text} AND ${where} LIMIT ${cap}) matches`;
  const read = (db: Pick<typeof prisma, "$queryRaw">) =>
    db.$queryRaw<{ n: bigint | number }[]>(count).then(([row]) => Number(row.n));
  if (!pg) return read(prisma);
  // Under a LIMIT, PostgreSQL's planner bets on a scan meeting enough matches early: the table
  // in order, or an index in its order with the text tested on each row. Where the matches lie
  // late or sparse, that scan tests thousands of rows (90 ms for a prefix at 300,000 accounts;
  // 35 ms for "son" walking the created-at index, chosen or not depending on ANALYZE's sample).
  // Only bitmap scans are left it: the text indexes, whatever the estimate.
  return prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT set_config('enable_seqscan', 'off', true),
      set_config('enable_indexscan', 'off', true), set_config('enable_indexonlyscan', 'off', true)`;
    return read(tx);
  });
}

// Too short for trigrams: a scan, with instr() so that % and _ stay literal (SQLite's LIKE
// has no escape character). lower() folds ASCII only, like LIKE.
function scannedIds(table: SearchTable, columns: readonly string[], q: string, m: TextMatch) {
  const needle = q.replace(/[A-Z]/g, (c) => c.toLowerCase());
  const test = m === "prefix" ? "= 1" : "> 0";
  return ids(
    `SELECT "id" AS id FROM "${table}"
     WHERE ${columns.map((c) => `instr(lower("${c}"), ?) ${test}`).join(" OR ")} LIMIT ?`,
    ...columns.map(() => needle),
  );
}

export async function textSearchWhere<T extends SearchTable>(
  table: T,
  columns: readonly SearchColumn<T>[],
  q: string,
  match: TextMatch,
): Promise<Record<string, unknown>> {
  if (!columns.every((c) => (SEARCHABLE[table] as readonly string[]).includes(c)))
    throw new Error(`${table} has no search index on ${columns.join(", ")}`);
  if (isPostgresUrl(getConfig().databaseUrl)) return anyColumn(columns, q, match);
  const found = await ([...q].length < MIN_INDEXED_CHARS ? scannedIds : ftsIds)(
    table,
    columns,
    q,
    match,
  );
  // Past the cap the matches are dense: a LIKE filter finds a page after a short scan.
  return found === null || found.length > MAX_ID_LIST
    ? anyColumn(columns, q, match)
    : { id: { in: found } };
}
