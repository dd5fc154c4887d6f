import { createHash } from "node:crypto";
import pg from "pg";
import { Prisma } from "@/generated/sqlite/client";
import type { DB } from "./db";

// Driver-level SQL for the few hot statements where Prisma's per-query cost matters (the job
// queue, Stripe webhooks: a Prisma call costs 0.3–0.9 ms of CPU, the same statement on the
// driver 0.05–0.25 ms; bench/README.md). Statements are written once, PostgreSQL style ($1,
// $2…); on SQLite $n becomes ?n. Dates and booleans are bound as each database stores them.
// Rows come back as the driver gives them: JSON columns are text on SQLite and parsed on
// PostgreSQL (see `json`), timestamps ISO text on SQLite and Dates on PostgreSQL (`date` reads
// either), booleans 0/1 on SQLite.
export type Dialect = "sqlite" | "postgres";

// `name` prepares the statement once per PostgreSQL connection (parse and plan skipped
// afterwards): a name of the caller's (one name, one text), or `true` to name it after its text.
export type SqlRunner = {
  query<T extends object>(
    text: string,
    values: readonly unknown[],
    name?: string | true,
  ): Promise<T[]>;
  execute(text: string, values: readonly unknown[], name?: string | true): Promise<number>;
};

export type Sql = SqlRunner & {
  readonly dialect: Dialect;
  // Runs `work` in one transaction on a connection of its own, committed when it returns and
  // rolled back when it throws. `work` must use only the runner it is given: on SQLite every
  // other statement of this process (Prisma's too) waits until the transaction has ended.
  transaction<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T>;
  // A timestamp parameter spelled as the column stores it (UTC).
  time(d: Date): string;
  // A JSON column's value as read by `query`, parsed.
  json(value: unknown): unknown;
  // PostgreSQL: the pool's settings, to open a dedicated connection (LISTEN).
  readonly connection?: pg.ClientConfig;
};

// A timestamp column's value as read by `query`.
export function date(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value : new Date(value as string);
}

// Prisma stores SQLite DateTime as ISO text with a "+00:00" offset; PostgreSQL ignores a zone
// given for a timestamp without time zone, so the UTC wall time is sent without one.
const sqliteTime = (d: Date) => d.toISOString().replace("Z", "+00:00");
const postgresTime = (d: Date) => d.toISOString().replace("Z", "");

// SQLite: on a connection of the process's own (core/db-sqlite-direct.ts), statements prepared
// once. $n becomes ?n (SQLite's numbered parameter).
export type SqliteStatements = {
  all<T>(sql: string, args: unknown[]): Promise<T[]>;
  run(sql: string, args: unknown[]): Promise<number>;
};
export type SqliteRunner = SqliteStatements & {
  transaction<T>(work: (tx: SqliteStatements) => Promise<T>): Promise<T>;
};

const sqliteValue = (v: unknown) =>
  v instanceof Date ? sqliteTime(v) : typeof v === "boolean" ? Number(v) : v;

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
  const on = (s: SqliteStatements): SqlRunner => ({
    query: <T extends object>(text: string, values: readonly unknown[]) =>
      s.all<T>(sqlite(text), values.map(sqliteValue)),
    execute: (text, values) => s.run(sqlite(text), values.map(sqliteValue)),
  });
  return {
    ...on(direct),
    dialect: "sqlite",
    transaction: (work) => direct.transaction((tx) => work(on(tx))),
    time: sqliteTime,
    json: (value) => (typeof value === "string" ? JSON.parse(value) : value),
  };
}

// pg reads a timestamp without time zone as local time; the columns hold UTC.
const TIMESTAMP_OID = 1114;
const utcTimestamps: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === TIMESTAMP_OID && format !== "binary"
      ? (v: string) => new Date(`${v.replace(" ", "T")}Z`)
      : pg.types.getTypeParser(oid, format as "text")) as pg.CustomTypesConfig["getTypeParser"],
};

const postgresValue = (v: unknown) => (v instanceof Date ? postgresTime(v) : v);

const names = new Map<string, string>();
function statementName(text: string, name: string | true | undefined): string | undefined {
  if (name !== true) return name;
  let named = names.get(text);
  if (!named) {
    named = `p${createHash("sha1").update(text).digest("hex").slice(0, 16)}`;
    names.set(text, named);
  }
  return named;
}

type Queryable = Pick<pg.Pool, "query">;

function postgresRunner(on: () => Promise<Queryable>): SqlRunner {
  const run = async (text: string, values: readonly unknown[], name?: string | true) =>
    (await on()).query({
      name: statementName(text, name),
      text,
      values: values.map(postgresValue),
      types: utcTimestamps,
    });
  return {
    query: async <T extends object>(
      text: string,
      values: readonly unknown[],
      name?: string | true,
    ) => (await run(text, values, name)).rows as T[],
    execute: async (text, values, name) => (await run(text, values, name)).rowCount ?? 0,
  };
}

export function postgresSql(pool: () => Promise<pg.Pool>, connection: pg.ClientConfig): Sql {
  return {
    ...postgresRunner(pool),
    dialect: "postgres",
    async transaction(work) {
      const client = await (await pool()).connect();
      let broken: Error | undefined;
      try {
        await client.query("BEGIN");
        const result = await work(postgresRunner(async () => client));
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch((e: Error) => (broken = e));
        throw error;
      } finally {
        client.release(broken);
      }
    },
    time: postgresTime,
    json: (value) => value,
    connection,
  };
}

// A Prisma client or interactive transaction as a runner, so a statement written for the driver
// can also run inside a Prisma transaction ($n placeholders become Prisma's bound values).
export function prismaRunner(tx: Pick<DB, "$queryRaw" | "$executeRaw">): SqlRunner {
  const bound = (text: string, values: readonly unknown[]) => {
    const parts = text.split(/\$(\d+)/);
    return new Prisma.Sql(
      parts.filter((_, i) => i % 2 === 0),
      parts.filter((_, i) => i % 2 === 1).map((n) => values[Number(n) - 1] as Prisma.Sql),
    );
  };
  return {
    query: <T extends object>(text: string, values: readonly unknown[]) =>
      tx.$queryRaw<T[]>(bound(text, values)),
    execute: (text, values) => tx.$executeRaw(bound(text, values)),
  };
}
