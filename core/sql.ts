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

// SQLite: on a connection of the process's own (core/db-sqlite-direct.ts), statements prepared
// once. $n becomes ?n (SQLite's numbered parameter).
export type SqliteRunner = {
  all<T>(sql: string, args: unknown[]): Promise<T[]>;
  run(sql: string, args: unknown[]): Promise<number>;
};

export function sqliteSql(direct: SqliteRunner): Sql {
  const numbered = new Map<string, string>();
  const sqlite = (text: string) => {
    let converted = numbered.get(text);
    if (converted === undefined) {
      converted = text.replace(/\$(\d+)/g, "?$1");
      numbered.set(text, converted);
    }
    return converted;
  };
  return {
    dialect: "sqlite",
    query: <T extends object>(text: string, values: readonly unknown[]) =>
      direct.all<T>(sqlite(text), [...values]),
    execute: (text, values) => direct.run(sqlite(text), [...values]),
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
