import type pg from "pg";
import { keepSqliteFilePrivate, PrismaLibSqlTuned } from "@/core/db-sqlite";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as SqliteClient } from "@/generated/sqlite/client";
import { PrismaClient as PostgresClient } from "@/generated/postgres/client";
import { getConfig } from "./config";
import { postgresSql, sqliteSql, type Sql } from "./sql";

// App code is typed against the SQLite client; both share the same model subset.
export type DB = SqliteClient;

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

// SQLite allows one writer at a time; wait for the lock instead of failing at once
// (the console and `npm run worker` may share the file).
const SQLITE_BUSY_TIMEOUT_MS = 10_000;

// Keeps the driver adapter Prisma connected last (it connects lazily and again after a
// disconnect), for driver-level SQL on the same pool.
function tracked<A, F extends { connect(): Promise<A> }>(factory: F) {
  let current: A | undefined;
  const connect = factory.connect.bind(factory);
  factory.connect = async () => (current = await connect());
  return { factory, current: () => current };
}

const SQL = Symbol.for("parley.sql");

function createClient(): DB {
  const url = getConfig().databaseUrl;
  if (isPostgresUrl(url)) {
    const adapter = tracked(new PrismaPg({ connectionString: url }));
    const client = new PostgresClient({ adapter: adapter.factory }) as unknown as DB;
    const pool = async () => {
      if (!adapter.current()) await client.$connect();
      return (adapter.current() as unknown as { underlyingDriver(): pg.Pool }).underlyingDriver();
    };
    return Object.defineProperty(client, SQL, {
      value: postgresSql(pool, { connectionString: url }),
    });
  }
  keepSqliteFilePrivate(url);
  const adapter = new PrismaLibSqlTuned({ url, timeout: SQLITE_BUSY_TIMEOUT_MS });
  const client = new SqliteClient({ adapter });
  return adapter.direct
    ? Object.defineProperty(client, SQL, { value: sqliteSql(adapter.direct) })
    : client;
}

// Driver-level SQL on a client made here (core/sql.ts says when to use it).
export function sqlOf(db: DB): Sql {
  const sql = (db as unknown as { [SQL]?: Sql })[SQL];
  if (!sql) throw new Error("Driver-level SQL needs a client created by core/db.ts");
  return sql;
}

const globalForPrisma = globalThis as unknown as { parleyPrisma?: DB };

// Created on first use, not at import: importing code never opens a database, and tests
// (or scripts) can choose DATABASE_URL before the first query.
export const prisma: DB = new Proxy({} as DB, {
  get(_target, property) {
    const client = (globalForPrisma.parleyPrisma ??= createClient());
    const value = Reflect.get(client, property, client);
    return typeof value === "function" ? value.bind(client) : value;
  },
});
