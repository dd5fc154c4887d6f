import { chmodSync, closeSync, existsSync, openSync, statSync } from "node:fs";
import path from "node:path";
import type { Client, Config, InStatement, Transaction, TransactionMode } from "@libsql/client";
import { PrismaLibSql } from "@prisma/adapter-libsql";
import { DirectSqlite, WriteTurns } from "./db-sqlite-direct";

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
// never corrupted). The setting is per connection, so it is applied to each connection the
// client opens (one, unless reconnect() is called).
const PRAGMAS = "PRAGMA synchronous = NORMAL";

const BEGIN: Record<TransactionMode, string> = {
  write: "BEGIN IMMEDIATE",
  read: "BEGIN TRANSACTION READONLY",
  deferred: "BEGIN DEFERRED",
};

// @libsql/client gives each interactive transaction the client's connection and opens a fresh
// one for the next statement: a new file handle, the schema parsed again and the pragma above
// re-applied, about 2 ms per transaction. Prisma's adapter already holds its own lock from BEGIN
// to COMMIT or ROLLBACK (no other statement of this client can run in between), so the
// transaction runs on the client's one connection instead.
// `ended` is called once the transaction is over (DirectSqlite waits for it).
function sameConnectionTransaction(client: Client, ended: () => void): Transaction {
  let closed = false;
  const open = () => {
    if (closed) throw new Error("The transaction is closed");
  };
  const end = async (sql: "COMMIT" | "ROLLBACK") => {
    open();
    closed = true;
    try {
      await client.execute(sql);
    } catch (error) {
      // A failed COMMIT (SQLITE_BUSY) leaves the transaction open on the shared connection.
      await client.execute("ROLLBACK").catch(() => undefined);
      if (sql === "COMMIT") throw error;
    } finally {
      ended();
    }
  };
  return {
    execute: (stmt: InStatement) => (open(), client.execute(stmt)),
    batch: async (stmts: InStatement[]) => {
      open();
      const results = [];
      for (const stmt of stmts) results.push(await client.execute(stmt));
      return results;
    },
    executeMultiple: (sql: string) => (open(), client.executeMultiple(sql)),
    commit: () => end("COMMIT"),
    rollback: () => end("ROLLBACK"),
    close: () => {
      if (!closed) void end("ROLLBACK");
    },
    get closed() {
      return closed;
    },
  };
}

// Also takes turns with the direct connection (WriteTurns) and closes it with the client.
function withPragmas(client: Client, turns: WriteTurns, direct?: DirectSqlite): Client {
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
          return turns.prismaStatement(() =>
            (value as (...a: unknown[]) => unknown).apply(target, args),
          );
        };
      }
      if (property === "transaction") {
        return async (mode: TransactionMode = "write") => {
          await prepare();
          const ended = await turns.prismaTransaction();
          try {
            await target.execute(BEGIN[mode]);
          } catch (error) {
            ended();
            throw error;
          }
          return sameConnectionTransaction(target, ended);
        };
      }
      if (property === "close") {
        return () => {
          direct?.close();
          return (value as () => unknown).apply(target);
        };
      }
      if (property === "reconnect") {
        return async () => {
          await (value as () => Promise<void>).apply(target);
          fresh = true; // a new connection needs the pragma again
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
  readonly turns = new WriteTurns();
  // Driver-level SQL (core/sql.ts) on a connection of its own; null for an in-memory database.
  readonly direct: DirectSqlite | null;

  private readonly url: string;

  constructor(config: Config) {
    super(config);
    this.url = config.url;
    const file = sqliteFile(config.url);
    this.direct = file ? new DirectSqlite(file, config.timeout ?? 0, this.turns) : null;
  }

  createClient(config: Config): Client {
    const direct = config.url === this.url ? (this.direct ?? undefined) : undefined;
    return withPragmas(super.createClient(config), this.turns, direct);
  }

  async connect() {
    const adapter = await super.connect();
    return Object.assign(adapter, {
      getConnectionInfo: () => ({ maxBindValues: MAX_BIND_VALUES, supportsRelationJoins: false }),
    });
  }
}
