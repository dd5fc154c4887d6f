import Database from "libsql";
import type { SqliteStatements } from "./sql";

// Turns at SQLite's write lock between this process's two connections: Prisma's (any number of
// interactive transactions, which queue on it) and the direct one below. A statement that meets
// the lock held by the other connection busy-waits on this thread and would block the event loop
// the holder needs to finish, so each side waits here for the other instead:
//  - a direct statement or transaction waits for every open Prisma transaction and for a direct
//    transaction;
//  - Prisma's statements and transactions wait for a direct transaction.
// A turn is taken in the same synchronous step as the check, so nothing slips in between.
export class WriteTurns {
  private prismaOpen = 0;
  private directOpen = false;
  private waiters: (() => void)[] = [];

  private async when<T>(free: () => boolean, start: () => T): Promise<T> {
    while (!free()) await new Promise<void>((resolve) => this.waiters.push(resolve));
    return start();
  }

  private wake() {
    this.waiters.splice(0).forEach((w) => w());
  }

  private readonly noDirect = () => !this.directOpen;
  private readonly noneOpen = () => !this.directOpen && this.prismaOpen === 0;

  // `start` runs a Prisma statement outside a transaction.
  prismaStatement<T>(start: () => T): Promise<T> {
    return this.when(this.noDirect, start);
  }

  // Before Prisma's BEGIN; call the returned function once the transaction has ended.
  async prismaTransaction(): Promise<() => void> {
    await this.when(this.noDirect, () => this.prismaOpen++);
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.prismaOpen--;
      this.wake();
    };
  }

  directStatement<T>(start: () => T): Promise<T> {
    return this.when(this.noneOpen, start);
  }

  // `begin` opens the direct transaction; call the returned function once it has ended.
  async directTransaction(begin: () => void): Promise<() => void> {
    await this.when(this.noneOpen, () => {
      begin();
      this.directOpen = true;
    });
    return () => {
      this.directOpen = false;
      this.wake();
    };
  }
}

type Statement = Database.Statement;

// A connection of its own for the hot statements (core/sql.ts), with its statements prepared
// once: through Prisma's adapter and the libsql client each statement is prepared anew and its
// rows converted three times, 0.1–0.25 ms of CPU each (bench/README.md). Each statement runs
// whole on this thread, in its turn (WriteTurns), so nothing interleaves.
export class DirectSqlite {
  private db: Database.Database | undefined;
  private readonly statements = new Map<string, Statement>();

  constructor(
    private readonly file: string,
    private readonly timeoutMs: number,
    private readonly turns: WriteTurns,
  ) {}

  private prepared(sql: string): Statement {
    if (!this.db) {
      this.db = new Database(this.file, { timeout: this.timeoutMs });
      // As on Prisma's connection (core/db-sqlite.ts).
      this.db.exec("PRAGMA synchronous = NORMAL");
    }
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  // Inside a transaction: its turn is already held.
  private readonly inTurn: SqliteStatements = {
    all: async <T>(sql: string, args: unknown[]) => this.prepared(sql).all(args) as T[],
    run: async (sql, args) => this.prepared(sql).run(args).changes,
  };

  all<T>(sql: string, args: unknown[]): Promise<T[]> {
    return this.turns.directStatement(() => this.prepared(sql).all(args) as T[]);
  }

  run(sql: string, args: unknown[]): Promise<number> {
    return this.turns.directStatement(() => this.prepared(sql).run(args).changes);
  }

  async transaction<T>(work: (tx: SqliteStatements) => Promise<T>): Promise<T> {
    const ended = await this.turns.directTransaction(() =>
      this.prepared("BEGIN IMMEDIATE").run([]),
    );
    try {
      const result = await work(this.inTurn);
      this.prepared("COMMIT").run([]);
      return result;
    } catch (error) {
      if (this.db?.inTransaction) this.prepared("ROLLBACK").run([]);
      throw error;
    } finally {
      ended();
    }
  }

  close(): void {
    this.statements.clear();
    this.db?.close();
    this.db = undefined;
  }
}
