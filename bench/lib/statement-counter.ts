import pg from "pg";
import Database from "libsql";
import { Sqlite3Client, Sqlite3Transaction } from "@libsql/client/sqlite3";

// Counts every statement this process sends to the database, at the driver (what Prisma and
// driver-level SQL both end up as), with the time each took: for pg a round trip to the server
// (the time until its answer); for SQLite the statement runs synchronously on this thread (the
// time is spent here), through Prisma's libsql client or core's own connection (libsql's
// prepared statements, counted when run), and a Prisma transaction opens a fresh connection.
export type StatementStats = Map<string, { n: number; ms: number }>;

// "UPDATE Job", "SELECT XmppAccount", "BEGIN"…: the verb and the first table named.
export function statementKind(sql: string): string {
  const text = sql.trim().replace(/\s+/g, " ");
  const verb = (/^\w+/.exec(text)?.[0] ?? "?").toUpperCase();
  const table = /\b(?:FROM|INTO|UPDATE)\s+(?:["`]?\w+["`]?\.)?["`]?(\w+)["`]?/i.exec(text)?.[1];
  return table ? `${verb} ${table}` : verb;
}

type Fn = (...args: unknown[]) => unknown;

export function countStatements(): { stats: StatementStats; stop(): void } {
  const stats: StatementStats = new Map();
  const add = (kind: string, ms: number) => {
    const s = stats.get(kind) ?? { n: 0, ms: 0 };
    s.n++;
    s.ms += ms;
    stats.set(kind, s);
  };
  const sqlOf = (q: unknown) =>
    typeof q === "string"
      ? q
      : ((q as { sql?: string })?.sql ?? (q as { text?: string })?.text ?? "");
  const patches: [Record<string, Fn>, string, Fn][] = [];
  // Inside a libsql client call: its own native statements are not counted again.
  let inClient = 0;
  const patch = (proto: object, name: string, kindOf: (args: unknown[]) => string) => {
    const target = proto as Record<string, Fn>;
    const original = target[name];
    patches.push([target, name, original]);
    target[name] = function (this: unknown, ...args: unknown[]) {
      const kind = kindOf(args);
      const t0 = performance.now();
      inClient++;
      let result: unknown;
      try {
        result = original.apply(this, args);
      } finally {
        inClient--;
      }
      const sync = performance.now() - t0;
      // pg answers later: time the round trip. libsql has done its work by now.
      if (result instanceof Promise && proto === pg.Client.prototype)
        return result.finally(() => add(kind, performance.now() - t0));
      add(kind, sync);
      return result;
    };
  };
  patch(pg.Client.prototype, "query", (a) => statementKind(sqlOf(a[0])));
  patch(Sqlite3Client.prototype, "execute", (a) => statementKind(sqlOf(a[0])));
  patch(Sqlite3Transaction.prototype, "execute", (a) => statementKind(sqlOf(a[0])));
  // core's own SQLite connection: statements are prepared once and run many times.
  const sourceOf = new WeakMap<object, string>();
  const prepare = Database.prototype.prepare;
  patches.push([Database.prototype as unknown as Record<string, Fn>, "prepare", prepare as Fn]);
  (Database.prototype as unknown as Record<string, Fn>).prepare = function (
    this: Database.Database,
    sql: unknown,
  ) {
    const prepared = prepare.call(this, sql as string);
    if (inClient === 0) sourceOf.set(prepared, statementKind(sql as string));
    return prepared;
  };
  const probe = new Database(":memory:");
  const statementProto = Object.getPrototypeOf(probe.prepare("SELECT 1")) as object;
  probe.close();
  for (const name of ["run", "all"]) {
    const target = statementProto as Record<string, Fn>;
    const original = target[name];
    patches.push([target, name, original]);
    target[name] = function (this: object, ...args: unknown[]) {
      const t0 = performance.now();
      const result = original.apply(this, args);
      const kind = sourceOf.get(this);
      if (kind) add(kind, performance.now() - t0);
      return result;
    };
  }
  patch(Sqlite3Client.prototype, "transaction", () => "BEGIN (new connection)");
  patch(Sqlite3Transaction.prototype, "commit", () => "COMMIT");
  return {
    stats,
    stop() {
      for (const [target, name, original] of patches) target[name] = original;
    },
  };
}
