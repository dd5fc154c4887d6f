import { Prisma } from "@/generated/sqlite/client";
import { dayBounds } from "@/lib/tables/keyset";

// A list's structured filters (status, server, plan, dates…) written once and rendered two
// ways: as a Prisma where for the page's rows, and as SQL for the counts that Prisma cannot
// express (an FTS5 match joined to the table, lib/tables/text-search.ts). Field names are
// constants of the list, never from the request.

export type Condition =
  | { field: string; op: "eq" | "ne"; value: string | null }
  | { field: string; op: "gte" | "lt"; value: Date }
  // A literal, case-sensitive substring (e.g. a quoted word in a JSON array column).
  | { field: string; op: "has"; value: string };

export function conditionsWhere(conditions: Condition[]): Record<string, unknown> {
  const where: Record<string, Record<string, unknown>> = {};
  for (const c of conditions) {
    const clause =
      c.op === "eq"
        ? { equals: c.value }
        : c.op === "ne"
          ? { not: c.value }
          : c.op === "has"
            ? { contains: c.value }
            : { [c.op]: c.value };
    where[c.field] = { ...where[c.field], ...clause };
  }
  return where;
}

// SQLite keeps Prisma's DateTime as ISO text with a "+00:00" offset; the same spelling
// compares in time order. PostgreSQL compares timestamps, and infers an enum from a
// parameter compared with an enum column.
const sqliteTime = (d: Date) => d.toISOString().replace("Z", "+00:00");

export function conditionsSql(
  conditions: Condition[],
  alias: string,
  dialect: "sqlite" | "postgres",
): Prisma.Sql {
  const time = (d: Date) => (dialect === "sqlite" ? sqliteTime(d) : d);
  const parts = conditions.map((c) => {
    const column = Prisma.raw(`${alias}."${c.field}"`);
    switch (c.op) {
      case "eq":
        return c.value === null
          ? Prisma.sql`${column} IS NULL`
          : Prisma.sql`${column} = ${c.value}`;
      case "ne":
        return c.value === null
          ? Prisma.sql`${column} IS NOT NULL`
          : Prisma.sql`${column} <> ${c.value}`;
      case "gte":
        return Prisma.sql`${column} >= ${time(c.value)}`;
      case "lt":
        return Prisma.sql`${column} < ${time(c.value)}`;
      case "has":
        return dialect === "sqlite"
          ? Prisma.sql`instr(${column}, ${c.value}) > 0`
          : Prisma.sql`strpos(${column}, ${c.value}) > 0`;
    }
  });
  return parts.length ? Prisma.join(parts, " AND ") : Prisma.sql`1 = 1`;
}

// The created-at range of a list's from/to params.
export function createdConditions(from?: string, to?: string): Condition[] {
  const { gte, lt } = dayBounds(from, to);
  return [
    ...(gte ? [{ field: "createdAt", op: "gte" as const, value: gte }] : []),
    ...(lt ? [{ field: "createdAt", op: "lt" as const, value: lt }] : []),
  ];
}
