import { keepSqliteFilePrivate, PrismaLibSqlTuned } from "@/core/db-sqlite";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as SqliteClient } from "@/generated/sqlite/client";
import { PrismaClient as PostgresClient } from "@/generated/postgres/client";
import { getConfig } from "./config";

// App code is typed against the SQLite client; both share the same model subset.
export type DB = SqliteClient;

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

// SQLite allows one writer at a time; wait for the lock instead of failing at once
// (the console and `npm run worker` may share the file).
const SQLITE_BUSY_TIMEOUT_MS = 10_000;

function createClient(): DB {
  const url = getConfig().databaseUrl;
  if (!isPostgresUrl(url)) keepSqliteFilePrivate(url);
  return isPostgresUrl(url)
    ? (new PostgresClient({ adapter: new PrismaPg({ connectionString: url }) }) as unknown as DB)
    : new SqliteClient({
        adapter: new PrismaLibSqlTuned({ url, timeout: SQLITE_BUSY_TIMEOUT_MS }),
      });
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
