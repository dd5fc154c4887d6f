import Database from "libsql";

// Prisma's interactive transactions open on this process's client. SQLite's write lock is held
// across their awaits, so a statement on another connection of this process must wait for them
// to end: its busy wait would block the event loop that the transaction needs to finish.
export class OpenTransactions {
  private open = 0;
  private waiters: (() => void)[] = [];

  // Call the returned function once the transaction has ended.
  begin(): () => void {
    this.open++;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      if (--this.open === 0) this.waiters.splice(0).forEach((w) => w());
    };
  }

  async none(): Promise<void> {
    while (this.open > 0) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }
}

type Statement = Database.Statement;

// A connection of its own for the queue's hot statements (core/sql.ts), with its statements
// prepared once: through Prisma's adapter and the libsql client each statement is prepared
// anew and its rows converted three times, 0.1–0.25 ms of CPU each (bench/README.md). Each
// statement runs whole on this thread, after any open transaction, so nothing interleaves.
export class DirectSqlite {
  private db: Database.Database | undefined;
  private readonly statements = new Map<string, Statement>();

  constructor(
    private readonly file: string,
    private readonly timeoutMs: number,
    private readonly transactions: OpenTransactions,
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

  async all<T>(sql: string, args: unknown[]): Promise<T[]> {
    await this.transactions.none();
    return this.prepared(sql).all(args) as T[];
  }

  async run(sql: string, args: unknown[]): Promise<number> {
    await this.transactions.none();
    return this.prepared(sql).run(args).changes;
  }

  close(): void {
    this.statements.clear();
    this.db?.close();
    this.db = undefined;
  }
}
