// Drives Prisma's schema engine (@prisma/schema-engine-wasm) through driver adapters,
// because the Prisma 7 CLI can only spawn the native engine, which cannot be downloaded
// here (air-gapped installs); the five adapter bugs it works around are marked "Bug N".
// Plain ESM: it runs in production (`npm start` applies migrations), so only packages from
// package.json `dependencies` may be imported.
//
// Exports:
//   resolveTarget(url, { root })          -> which schema/migrations folder a URL uses
//   openEngine(target, { debug })         -> { engine, target, close() }
//   readMigrations(target)                -> migrationsList for the engine
//   ensureMigrationsTable(session)        -> SQLite workaround (bug 1)
//   primeMigrationSchemaCache(session, l) -> needed before evaluateDataLoss/createMigration
//   deleteSqliteDatabase(target)          -> SQLite reset (bug 3)
//   applyPending(session, list, { log })  -> applyMigrations with per-migration reporting
//   deployMigrations({ url, log, root })  -> string[] of applied migration names
//   formatEngineError(error)              -> readable message for a thrown engine/adapter error
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { randomUUID } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import { createClient as createLibSqlClient } from "@libsql/client";
import { PrismaLibSql } from "@prisma/adapter-libsql";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { parseIntoClientConfig } from "pg-connection-string";

export const DEFAULT_DATABASE_URL = "file:./data/parley.db";
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
// SQLite's full-text indexes (prisma/migrations/*_sqlite_text_search) and their shadow tables
// are made by hand-written SQL: migrate must neither drop nor diff them.
const SEARCH_TABLES = ["CustomerSearch", "XmppAccountSearch"].flatMap((t) =>
  ["", "_config", "_data", "_docsize", "_idx", "_content"].map((s) => t + s),
);
export function filtersFor(target) {
  return { externalTables: target.provider === "sqlite" ? SEARCH_TABLES : [], externalEnums: [] };
}
const LOCKFILE = "migration_lock.toml";

/** A configuration error the user can fix (bad URL, missing file, ...): printed without a stack. */
export class MigrateError extends Error {
  name = "MigrateError";
}

// ---------------------------------------------------------------------------
// Target: DATABASE_URL -> provider, schema file, migrations folder

/**
 * @param {string} [url] DATABASE_URL; `file:` = SQLite, `postgres(ql)://` = PostgreSQL
 * @param {{ root?: string, cwd?: string }} [opts] root = project root (schema + migrations),
 *   cwd = base for relative `file:` paths (default process.cwd(), like the app's client)
 */
export function resolveTarget(
  url = DEFAULT_DATABASE_URL,
  { root = PROJECT_ROOT, cwd = process.cwd() } = {},
) {
  if (/^postgres(ql)?:\/\//i.test(url)) {
    return {
      provider: "postgresql",
      url,
      schemaPath: path.join(root, "prisma/postgres/schema.prisma"),
      migrationsDir: path.join(root, "prisma/postgres/migrations"),
      display: `PostgreSQL ${describePgUrl(url)}`,
    };
  }
  if (url.startsWith("file:")) {
    let file = url.slice("file:".length).replace(/[?#].*$/, "");
    if (file.startsWith("//")) file = file.slice(2); // file:///abs/path.db
    if (!file)
      throw new MigrateError(
        `DATABASE_URL "${url}" has no file path (expected e.g. file:./data/parley.db).`,
      );
    const filePath = path.resolve(cwd, decodeURIComponent(file));
    return {
      provider: "sqlite",
      url: `file:${filePath}`,
      filePath,
      schemaPath: path.join(root, "prisma/schema.prisma"),
      migrationsDir: path.join(root, "prisma/migrations"),
      display: `SQLite ${displayPath(filePath, cwd)}`,
    };
  }
  throw new MigrateError(
    `Unsupported DATABASE_URL "${redactUrl(url)}": use file:./path/to.db (SQLite) or postgresql://user:pass@host:port/db.`,
  );
}

function displayPath(file, cwd = process.cwd()) {
  const relative = path.relative(cwd, file);
  return relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : file;
}

/** A project file for messages: relative to cwd when inside it, else to the project root. */
export function showPath(file, root = PROJECT_ROOT) {
  const shown = displayPath(file);
  if (shown !== file) return shown;
  const relative = path.relative(root, file);
  return relative && !relative.startsWith("..") ? relative : file;
}

function describePgUrl(url) {
  try {
    const u = new URL(url);
    return `${u.username ? `${decodeURIComponent(u.username)}@` : ""}${u.host}${u.pathname}`;
  } catch {
    return redactUrl(url);
  }
}

export function redactUrl(url) {
  return url.replace(/^([a-z]+:\/\/[^:/@]*:)[^@]*@/i, "$1***@");
}

// ---------------------------------------------------------------------------
// Engine loading: Node 20 cannot `import` a .wasm file, so instantiate it by hand.

let bindingsPromise;

// The engine arms 60 s timeout guards with setTimeout and never clears them, which kept
// `dev` alive for a minute after it finished. Engine timers are unref'd; instead, a ref'd
// handle is held while any engine call is in flight (inFlightCall).
let inFlight = 0;
let keepAlive;

async function inFlightCall(fn) {
  if (inFlight++ === 0) keepAlive = setInterval(() => {}, 2 ** 30);
  try {
    return await fn();
  } finally {
    if (--inFlight === 0) clearInterval(keepAlive);
  }
}

function loadBindings() {
  bindingsPromise ??= (async () => {
    const bgUrl = import.meta.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const bg = await import(bgUrl);
    const bytes = await readFile(fileURLToPath(new URL("./schema_engine_bg.wasm", bgUrl)));
    const imports = { ...bg };
    for (const name of Object.keys(bg).filter((n) => n.startsWith("__wbg_setTimeout_"))) {
      imports[name] = (...args) => {
        const timer = bg[name](...args);
        timer?.unref?.();
        return timer;
      };
    }
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
      "./schema_engine_bg.js": imports,
    });
    bg.__wbg_set_wasm(instance.exports);
    instance.exports.__wbindgen_start();
    return bg;
  })();
  return bindingsPromise;
}

export function readSchema(target) {
  if (!existsSync(target.schemaPath)) {
    const hint = target.provider === "postgresql" ? " Run `npm run db:generate` to derive it." : "";
    throw new MigrateError(`Schema file ${showPath(target.schemaPath)} not found.${hint}`);
  }
  return { files: [{ path: target.schemaPath, content: readFileSync(target.schemaPath, "utf8") }] };
}

/**
 * Opens an engine session on the target database. Always call close() (it disposes every
 * connection the engine opened, so the process can exit and tests don't leak pools).
 * @param {ReturnType<typeof resolveTarget>} target
 * @param {{ debug?: (line: string) => void }} [opts]
 */
export async function openEngine(target, { debug } = {}) {
  const schema = readSchema(target);
  const bg = await loadBindings();
  const factory = target.provider === "sqlite" ? sqliteFactory(target) : postgresFactory(target);
  const bound = bindMigrationAwareSqlAdapterFactory(factory);
  const [{ path: schemaPath, content }] = schema.files;
  const logListeners = new Set();
  const onLog = (line) => {
    debug?.(line);
    if (logListeners.size === 0) return;
    let entry;
    try {
      entry = JSON.parse(line);
    } catch {
      return;
    }
    for (const listener of logListeners) listener(entry);
  };
  let engine;
  try {
    engine = await inFlightCall(() =>
      bg.SchemaEngine.new({ datamodels: [[schemaPath, content]] }, onLog, bound),
    );
  } catch (error) {
    await factory.adapters.disposeAll();
    throw wrapEngineError(error, bound.errorRegistry, factory.adapters.lastDriverError);
  }
  // Route every engine call through error translation ("External error id#0" -> the real error).
  const wrapped = new Proxy(engine, {
    get(obj, prop) {
      const value = obj[prop];
      if (typeof value !== "function") return value;
      return async (...args) => {
        factory.adapters.lastDriverError = undefined;
        try {
          return await inFlightCall(() => value.apply(obj, args));
        } catch (error) {
          throw wrapEngineError(error, bound.errorRegistry, factory.adapters.lastDriverError);
        }
      };
    },
  });
  let closed = false;
  return {
    engine: wrapped,
    target,
    schema,
    /** Subscribes to the engine's parsed JSON log entries; returns an unsubscribe function. */
    onLog(listener) {
      logListeners.add(listener);
      return () => logListeners.delete(listener);
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        engine.free();
      } finally {
        await factory.adapters.disposeAll();
      }
    },
  };
}

// ---------------------------------------------------------------------------
// Adapter factories, with workarounds for the adapter bugs marked "Bug N"

/** Tracks adapters so close() can dispose whatever the engine left open; dispose is idempotent. */
function tracker() {
  const open = new Set();
  const state = {
    /** Last raw driver error, for context: the engine's mapped message can be vague. */
    lastDriverError: undefined,
    track(adapter) {
      const onError = adapter.onError.bind(adapter);
      adapter.onError = (error) => {
        state.lastDriverError = error;
        return onError(error);
      };
      const dispose = adapter.dispose.bind(adapter);
      let done;
      adapter.dispose = () => {
        done ??= (async () => {
          open.delete(adapter);
          await dispose();
        })();
        return done;
      };
      open.add(adapter);
      return adapter;
    },
    async disposeAll() {
      const results = await Promise.allSettled([...open].map((a) => a.dispose()));
      const failed = results.find((r) => r.status === "rejected");
      if (failed) throw failed.reason;
    },
  };
  return state;
}

function sqliteFactory(target) {
  mkdirSync(path.dirname(target.filePath), { recursive: true });
  const main = new PrismaLibSql({ url: target.url });
  const adapters = tracker();
  const track = adapters.track;
  return {
    provider: main.provider,
    adapterName: main.adapterName,
    adapters,
    async connect() {
      return track(await main.connect());
    },
    // Bug 2: the stock shadow DB is `:memory:` and the engine replays each migration with a
    // single executeRaw, of which libsql runs only the first statement. Use a temp file and
    // send parameterless executeRaw calls through executeScript (executeMultiple).
    async connectToShadowDb() {
      const file = path.join(os.tmpdir(), `prisma-shadow-${randomUUID()}.db`);
      const adapter = await new PrismaLibSql({ url: `file:${file}` }).connect();
      const executeRaw = adapter.executeRaw.bind(adapter);
      adapter.executeRaw = async (query) => {
        if (query.args.length > 0) return executeRaw(query);
        await adapter.executeScript(query.sql);
        return 0;
      };
      const dispose = adapter.dispose.bind(adapter);
      adapter.dispose = async () => {
        try {
          await dispose();
        } finally {
          removeSqliteFiles(file);
        }
      };
      return track(adapter);
    },
  };
}

// Bug 4: adapter-pg cannot deserialize Postgres' internal "char" type (OID 18), which the
// engine reads from pg_catalog. Report such columns as text (OID 25).
const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

function charAsText(result) {
  for (const r of Array.isArray(result) ? result : [result]) {
    for (const field of r?.fields ?? [])
      if (field.dataTypeID === PG_CHAR_OID) field.dataTypeID = PG_TEXT_OID;
  }
  return result;
}

class CharAsTextClient extends pg.Client {
  query(config, values, callback) {
    if (config && typeof config.submit === "function") return super.query(config, values, callback);
    if (typeof values === "function")
      return super.query(config, (err, res) => values(err, err ? res : charAsText(res)));
    if (typeof callback === "function") {
      return super.query(config, values, (err, res) => callback(err, err ? res : charAsText(res)));
    }
    return super.query(config, values).then(charAsText);
  }
}

// Bug 5b: PrismaPgAdapter.executeScript splits on every ";" (breaks string literals and
// function bodies) and is not atomic. Send the script as one simple-protocol query instead,
// which Postgres runs in one implicit transaction, like the native engine.
function fixExecuteScript(adapter) {
  adapter.executeScript = async (script) => {
    try {
      await adapter.underlyingDriver().query(script);
    } catch (error) {
      adapter.onError(error);
    }
  };
  return adapter;
}

function postgresFactory(target) {
  let config;
  try {
    config = { ...parseIntoClientConfig(target.url), Client: CharAsTextClient };
  } catch (error) {
    throw new MigrateError(`Cannot parse DATABASE_URL ${redactUrl(target.url)}: ${error.message}`);
  }
  const main = new PrismaPg(config);
  const adapters = tracker();
  const track = adapters.track;
  return {
    provider: main.provider,
    adapterName: main.adapterName,
    adapters,
    async connect() {
      return track(fixExecuteScript(await main.connect()));
    },
    // Bug 5a: the stock shadow DB reuses the connection string, so pg ignores `database` and
    // the "shadow" is the main DB; it also drops the DB before closing its pool. Create the
    // shadow DB on a main connection, connect with a parsed config, close the shadow pool
    // first, then drop it.
    async connectToShadowDb() {
      const admin = await main.connect();
      const database = `prisma_migrate_shadow_db_${randomUUID()}`;
      try {
        await admin.underlyingDriver().query(`CREATE DATABASE "${database}"`);
      } catch (error) {
        await admin.dispose();
        if (error?.code === "42501") {
          throw new MigrateError(
            `The database user cannot create the temporary shadow database (${error.message}). ` +
              "Creating migrations (dev, diff) needs a user with CREATEDB; deploy does not.",
          );
        }
        adapters.lastDriverError = error;
        admin.onError(error);
      }
      const shadow = fixExecuteScript(await new PrismaPg({ ...config, database }).connect());
      const dispose = shadow.dispose.bind(shadow);
      shadow.dispose = async () => {
        try {
          await dispose();
          await admin.underlyingDriver().query(`DROP DATABASE IF EXISTS "${database}"`);
        } finally {
          await admin.dispose();
        }
      };
      return track(shadow);
    },
  };
}

// ---------------------------------------------------------------------------
// Migrations folder

/** Directory names of the migrations folder, sorted (timestamps first, so chronological). */
export function listMigrationDirs(migrationsDir) {
  if (!existsSync(migrationsDir)) return [];
  return readdirSync(migrationsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

/** The engine's MigrationList for a target. */
export function readMigrations(target) {
  const baseDir = target.migrationsDir;
  const lockPath = path.join(baseDir, LOCKFILE);
  return {
    baseDir,
    lockfile: {
      path: LOCKFILE,
      content: existsSync(lockPath) ? readFileSync(lockPath, "utf8") : null,
    },
    migrationDirectories: listMigrationDirs(baseDir).map((dir) => {
      const file = path.join(baseDir, dir, "migration.sql");
      let content;
      try {
        content = { tag: "ok", value: readFileSync(file, "utf8") };
      } catch (error) {
        content = { tag: "error", value: `Could not read ${file}: ${error.message}` };
      }
      return { path: dir, migrationFile: { path: "migration.sql", content } };
    }),
    shadowDbInitScript: "",
  };
}

// ---------------------------------------------------------------------------
// SQLite workarounds

/**
 * Bug 1: on SQLite, devDiagnostic/diagnoseMigrationHistory/markMigration* fail while
 * `_prisma_migrations` does not exist. applyMigrations with no migrations creates it.
 */
export async function ensureMigrationsTable({ engine, target }) {
  if (target.provider !== "sqlite") return;
  // Only when missing: with failed migrations recorded, applyMigrations would refuse (P3009).
  const client = createLibSqlClient({ url: target.url });
  try {
    const { rows } = await client.execute(
      "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'",
    );
    if (rows.length > 0) return;
  } finally {
    client.close();
  }
  const migrationsList = { ...readMigrations(target), migrationDirectories: [] };
  await engine.applyMigrations({ migrationsList, filters: filtersFor(target) });
}

// ---------------------------------------------------------------------------
// Wasm engine quirk (both providers)

/**
 * evaluateDataLoss and createMigration in the Wasm engine cannot open a shadow database
 * themselves ("SQLite/PostgreSQL shadow DB must be provided through an external factory");
 * they only work when the schema of the migration history is already in the engine's cache.
 * devDiagnostic fills that cache only when the database is up to date, and
 * diagnoseMigrationHistory with the shadow database opted in always does (it is a cache
 * hit when devDiagnostic already did the work). Call this before either command.
 */
export async function primeMigrationSchemaCache({ engine, target }, migrationsList) {
  if (migrationsList.migrationDirectories.length === 0) return;
  await engine.diagnoseMigrationHistory({
    migrationsList,
    optInToShadowDatabase: true,
    filters: filtersFor(target),
  });
}

export function removeSqliteFiles(file) {
  for (const suffix of ["", "-journal", "-wal", "-shm"]) rmSync(file + suffix, { force: true });
}

/** Bug 3: engine.reset() is a no-op on SQLite behind an adapter, so delete the file(s). */
export function deleteSqliteDatabase(target) {
  removeSqliteFiles(target.filePath);
}

// ---------------------------------------------------------------------------
// Applying migrations

/**
 * applyMigrations with useful reporting: one log line per applied migration, and on failure
 * a MigrateError naming the failed migration (the engine's own error does not) and how to
 * recover. The engine logs "Applying `<name>`" before each migration; that tells us which
 * one failed and which ones before it went through.
 * @returns {Promise<string[]>} applied migration names
 */
export async function applyPending(session, migrationsList, { log } = {}) {
  const started = [];
  const unsubscribe = session.onLog((entry) => {
    const name = /^Applying `(.+)`$/.exec(entry?.fields?.message ?? "")?.[1];
    if (name) started.push(name);
  });
  try {
    const { appliedMigrationNames } = await session.engine.applyMigrations({
      migrationsList,
      filters: filtersFor(session.target),
    });
    for (const name of appliedMigrationNames) log?.(`Applied migration ${name}`);
    return appliedMigrationNames;
  } catch (error) {
    const failed = started.at(-1);
    if (!failed && /found failed migrations/.test(error?.message ?? "")) {
      throw new MigrateError(
        `${formatEngineError(error)}\nSee \`node scripts/db-migrate.mjs status\`; recover with resolve --rolled-back <name> (or --applied <name>).`,
        { cause: error },
      );
    }
    if (!failed) throw error;
    for (const name of started.slice(0, -1)) log?.(`Applied migration ${name}`);
    const cli = "node scripts/db-migrate.mjs";
    const recovery =
      session.target.provider === "postgresql"
        ? "PostgreSQL rolled the migration back. Fix its migration.sql, then run:\n" +
          `  ${cli} resolve --rolled-back ${failed}\n  ${cli} deploy`
        : "SQLite may have applied part of it. Undo the partial changes and run\n" +
          `  ${cli} resolve --rolled-back ${failed}   (then fix migration.sql and deploy again)\n` +
          `or complete it by hand and run\n  ${cli} resolve --applied ${failed}`;
    const wrapped = new MigrateError(
      `Migration ${failed} failed:\n  ${formatEngineError(error).replace(/\n/g, "\n  ")}\n${recovery}`,
      { cause: error },
    );
    wrapped.migrationName = failed;
    wrapped.appliedMigrationNames = started.slice(0, -1);
    throw wrapped;
  } finally {
    unsubscribe();
  }
}

// ---------------------------------------------------------------------------
// Programmatic deploy

/**
 * Applies pending migrations (like `prisma migrate deploy`).
 * @param {{ url?: string, log?: (line: string) => void, root?: string, debug?: (line: string) => void }} [opts]
 *   url defaults to DATABASE_URL, then file:./data/parley.db; log gets one line per applied migration.
 * @returns {Promise<string[]>} names of the migrations applied by this call (empty if none were pending)
 */
export async function deployMigrations({
  url = process.env.DATABASE_URL || DEFAULT_DATABASE_URL,
  log,
  root,
  debug,
} = {}) {
  const target = resolveTarget(url, { root });
  const migrationsList = readMigrations(target);
  if (migrationsList.migrationDirectories.length === 0) {
    throw new MigrateError(`No migrations found in ${showPath(target.migrationsDir)}.`);
  }
  const session = await openEngine(target, { debug });
  let applied;
  try {
    applied = await applyPending(session, migrationsList, { log });
  } finally {
    await session.close();
  }
  if (target.provider === "sqlite") await enableWriteAheadLog(target.url);
  return applied;
}

// WAL lets the console, a separate worker process and readers share the SQLite file without
// "database is locked" errors; the setting is stored in the file itself.
async function enableWriteAheadLog(url) {
  const client = createLibSqlClient({ url });
  try {
    await client.execute("PRAGMA journal_mode = WAL");
  } finally {
    client.close();
  }
}

// ---------------------------------------------------------------------------
// Errors

/**
 * Engine errors arrive as Error objects whose message is the engine's text; adapter
 * failures that are not DriverAdapterErrors show up as "... id#N" and the real error sits
 * in the factory's error registry.
 */
function wrapEngineError(error, registry, driverError) {
  if (error instanceof MigrateError) return error;
  let message = stripBacktrace(
    typeof error?.message === "string" ? error.message : String(error),
  ).trim();
  const id = /id#(\d+)/.exec(message)?.[1];
  const original =
    (id !== undefined ? registry?.consumeError(Number(id))?.error : undefined) ?? driverError;
  if (original instanceof MigrateError) return original; // thrown by our own factory code
  const detail = original?.message ?? (original ? String(original) : "");
  if (detail && !message.includes(detail)) message = `${message}\n  (database driver: ${detail})`;
  const wrapped = new Error(message.trim(), { cause: error });
  wrapped.name = "SchemaEngineError";
  return wrapped;
}

// The Wasm engine appends a Rust span trace ("   0: schema_engine_wasm::…", "with x=…", "at src/….rs:266").
function stripBacktrace(message) {
  return message
    .split("\n")
    .filter((line) => !/^\s+(\d+: [\w:]+::\w+|at \S+\.rs:\d+|with \w+=)/.test(line))
    .join("\n");
}

export function formatEngineError(error) {
  return (error?.message ?? String(error)).trim();
}
