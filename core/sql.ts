import type pg from "pg";

// Driver-level SQL for the few hot statements where Prisma's per-query cost matters (the job
// queue: a Prisma call costs 0.3–0.9 ms of CPU, the same statement on the driver 0.05–0.25 ms;
// bench/README.md). Statements are written once, PostgreSQL style ($1, $2…); on SQLite $n
// becomes ?n. Rows come back as the driver gives them: JSON columns are text on SQLite and
// parsed on PostgreSQL (see `json`), and timestamps are best left out of the selected columns
// (the pg driver would read PostgreSQL's zone-less timestamps as local time).
export type Dialect = "sqlite" | "postgres";

export type Sql = {
  readonly dialect: Dialect;
  // `name` prepares the statement once per PostgreSQL connection (parse and plan skipped
  // afterwards); one name, one text.
  query<T extends object>(text: string, values: readonly unknown[], name?: string): Promise<T[]>;
  execute(text: string, values: readonly unknown[], name?: string): Promise<number>;
  // A timestamp parameter spelled as the column stores it (UTC).
  time(d: Date): string;
  // A JSON column's value as read by `query`, parsed.
  json(value: unknown): unknown;
  // PostgreSQL: the pool's settings, to open a dedicated connection (LISTEN).
  readonly connection?: pg.ClientConfig;
};

// Prisma stores SQLite DateTime as ISO text with a "+00:00" offset; PostgreSQL ignores a zone
// given for a timestamp without time zone, so the UTC wall time is sent without one.
const sqliteTime = (d: Date) => d.toISOString().replace("Z", "+00:00");
const postgresTime = (d: Date) => d.toISOString().replace("Z", "");

// The types the libsql adapter's argument mapping looks at: none of ours needs converting.
const PLAIN = { scalarType: "string", arity: "scalar" } as const;

// What Prisma's SQLite driver adapter offers (its queryRaw and executeRaw).
type RawQuery = { sql: string; args: unknown[]; argTypes: (typeof PLAIN)[] };
export type SqliteQueryable = {
  queryRaw(query: RawQuery): Promise<{ columnNames: string[]; rows: unknown[][] }>;
  executeRaw(query: RawQuery): Promise<number>;
};

export function sqliteSql(adapter: () => Promise<SqliteQueryable>): Sql {
  const prepare = (text: string, values: readonly unknown[]) => ({
    sql: text.replace(/\$(\d+)/g, "?$1"),
    args: [...values],
    argTypes: values.map(() => PLAIN),
  });
  return {
    dialect: "sqlite",
    // Through the adapter, not the libsql client: the adapter's lock keeps a statement from
    // running while a transaction holds the connection.
    async query<T extends object>(text: string, values: readonly unknown[]) {
      const { columnNames, rows } = await (await adapter()).queryRaw(prepare(text, values));
      return rows.map((row) => Object.fromEntries(columnNames.map((c, i) => [c, row[i]])) as T);
    },
    async execute(text, values) {
      return (await adapter()).executeRaw(prepare(text, values));
    },
    time: sqliteTime,
    json: (value) => (typeof value === "string" ? JSON.parse(value) : value),
  };
}

export function postgresSql(pool: () => Promise<pg.Pool>, connection: pg.ClientConfig): Sql {
  return {
    dialect: "postgres",
    async query<T extends object>(text: string, values: readonly unknown[], name?: string) {
      return (await (await pool()).query<T>({ name, text, values: [...values] })).rows;
    },
    async execute(text, values, name) {
      return (await (await pool()).query({ name, text, values: [...values] })).rowCount ?? 0;
    },
    time: postgresTime,
    json: (value) => value,
    connection,
  };
}
