import { chmodSync, closeSync, existsSync, openSync, statSync } from "node:fs";
import path from "node:path";
import type { Client, Config } from "@libsql/client";
import { PrismaLibSql } from "@prisma/adapter-libsql";
import { DirectSqlite, OpenTransactions } from "./db-sqlite-direct";

// The database file is private to the service user before SQLite opens it: SQLite creates its
// WAL and shared-memory files with the database file's permissions, whatever the umask, and the
// WAL holds recent rows in clear. (npm start also closes the data folder; this covers the worker
// and any other process that opens the file first.)
export function keepSqliteFilePrivate(url: string): void {
  const name = url.replace(/^file:(\/\/)?/, "").replace(/[?#].*$/, "");
  if (!name || name === ":memory:") return;
  const file = path.resolve(/*turbopackIgnore: true*/ process.cwd(), decodeURIComponent(name));
  if (!existsSync(path.dirname(file))) return;
  // A zero-length file is a new, empty database to SQLite.
  if (!existsSync(file)) closeSync(openSync(file, "a", 0o600));
  const st = statSync(file);
  if (st.uid === process.getuid?.() && (st.mode & 0o077) !== 0) chmodSync(file, st.mode & 0o600);
}

// The file a file: URL names (null for an in-memory database).
function sqliteFile(url: string): string | null {
  const name = url.replace(/^file:(\/\/)?/, "").replace(/[?#].*$/, "");
  if (!name || name === ":memory:") return null;
  return path.resolve(/*turbopackIgnore: true*/ process.cwd(), decodeURIComponent(name));
}

// SQLite in WAL mode is consistent with synchronous=NORMAL and an order of magnitude faster
// than the default FULL (no fsync per commit; the last commits can be lost on power failure,
// never corrupted). The setting is per connection, and @libsql/client hands its connection to
// every interactive transaction and opens a fresh one afterwards, so the pragma is re-applied
// on the first statement after each transaction.
const PRAGMAS = "PRAGMA synchronous = NORMAL";

// Also tracks the interactive transactions (for DirectSqlite) and closes the direct connection
// with the client.
function withPragmas(client: Client, transactions: OpenTransactions, direct?: DirectSqlite): Client {
  let fresh = true;
  const prepare = async () => {
    if (!fresh) return;
    fresh = false;
    await client.execute(PRAGMAS);
  };
  return new Proxy(client, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== "function") return value;
      if (property === "execute" || property === "batch" || property === "executeMultiple") {
        return async (...args: unknown[]) => {
          await prepare();
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      if (property === "transaction") {
        return async (...args: unknown[]) => {
          await prepare();
          const ended = transactions.begin();
          try {
            const tx = (await (value as (...a: unknown[]) => Promise<unknown>).apply(
              target,
              args,
            )) as Record<"commit" | "rollback" | "close", (...a: unknown[]) => unknown> & {
              closed: boolean;
            };
            fresh = true; // the next statement runs on a new connection
            for (const end of ["commit", "rollback", "close"] as const) {
              const call = tx[end].bind(tx);
              tx[end] = async (...a: unknown[]) => {
                try {
                  return await call(...a);
                } finally {
                  if (tx.closed) ended();
                }
              };
            }
            return tx;
          } catch (error) {
            ended();
            throw error;
          }
        };
      }
      if (property === "close") {
        return () => {
          direct?.close();
          return (value as () => unknown).apply(target);
        };
      }
      return value.bind(target);
    },
  });
}

// SQLite takes 32,766 bound values per statement since 3.32; without being told, Prisma
// assumes the old 999 and refuses longer `in` lists (the search's id lists).
const MAX_BIND_VALUES = 32_766;

export class PrismaLibSqlTuned extends PrismaLibSql {
  readonly transactions = new OpenTransactions();
  // Driver-level SQL (core/sql.ts) on a connection of its own; null for an in-memory database.
  readonly direct: DirectSqlite | null;

  private readonly url: string;

  constructor(config: Config) {
    super(config);
    this.url = config.url;
    const file = sqliteFile(config.url);
    this.direct = file ? new DirectSqlite(file, config.timeout ?? 0, this.transactions) : null;
  }

  createClient(config: Config): Client {
    const direct = config.url === this.url ? (this.direct ?? undefined) : undefined;
    return withPragmas(super.createClient(config), this.transactions, direct);
  }

  async connect() {
    const adapter = await super.connect();
    return Object.assign(adapter, {
      getConnectionInfo: () => ({ maxBindValues: MAX_BIND_VALUES, supportsRelationJoins: false }),
    });
  }
}
