// `npm start`: everything a first run needs, then the console.
//   0. data folder: private to the service user (0700, files 0600, umask 077);
//   1. secrets: generated once into data/secrets.json (git-ignored, mode 600) unless set in the environment;
//   2. database: created if missing and migrated (Prisma's Wasm schema engine, no download);
//   3. build: `next build` when the sources (or the server-actions key) changed since the last build;
//   4. `next start` on HOST:PORT; while no admin exists it prints a one-time setup link.
import { spawn, spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { prepareDataFolder } from "./lib/data-folder.mjs";
import { buildStamp, serverActionsKey } from "./lib/server-actions-key.mjs";
import {
  DEFAULT_DATABASE_URL,
  deployMigrations,
  formatEngineError,
  resolveTarget,
} from "./lib/schema-engine.mjs";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
process.chdir(root);
// Settings from .env (see .env.example); variables already in the environment win.
if (existsSync(".env")) process.loadEnvFile(".env");

const port = process.env.PORT ?? "3000";
const host = process.env.HOST ?? "127.0.0.1";
const publicUrl = (process.env.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, "");
const databaseUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
const secretsFile = process.env.PARLEY_SECRETS_FILE ?? path.join(root, "data", "secrets.json");

function fail(message) {
  console.error(`\n[parley] ${message}\n`);
  process.exit(1);
}

function loadOrCreateSecrets() {
  let secrets = {};
  if (existsSync(secretsFile)) {
    try {
      secrets = JSON.parse(readFileSync(secretsFile, "utf8"));
    } catch {
      fail(
        `${secretsFile} is not valid JSON. Fix it or restore it from a backup: it holds the key that decrypts stored credentials.`,
      );
    }
  }
  let changed = false;
  if (!secrets.sessionSecret) {
    secrets.sessionSecret = randomBytes(32).toString("base64");
    changed = true;
  }
  if (!secrets.encryptionKey) {
    secrets.encryptionKey = randomBytes(32).toString("base64");
    changed = true;
  }
  if (changed) {
    mkdirSync(path.dirname(secretsFile), { recursive: true });
    writeFileSync(secretsFile, JSON.stringify(secrets, null, 2) + "\n", { mode: 0o600 });
    chmodSync(secretsFile, 0o600);
    console.log(
      `[parley] generated secrets in ${path.relative(root, secretsFile)} (keep it, and back it up with the database)`,
    );
  }
  return secrets;
}

// A hash of everything that goes into the build, so an upgraded checkout is rebuilt.
function sourceHash() {
  const hash = createHash("sha256");
  const inputs = [
    "app",
    "core",
    "lib",
    "provisioning",
    "public",
    "types",
    "proxy.ts",
    "instrumentation.ts",
    "next.config.js",
    "package-lock.json",
    "tsconfig.json",
    "postcss.config.mjs",
    "prisma/schema.prisma",
  ];
  const walk = (p) => {
    if (!existsSync(p)) return;
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const name of readdirSync(p).sort()) walk(path.join(p, name));
    } else {
      hash.update(p).update(readFileSync(p));
    }
  };
  inputs.forEach(walk);
  return hash.digest("hex");
}

function buildIfNeeded(env) {
  const stamp = path.join(root, ".next", "parley-source-hash");
  const wanted = buildStamp(sourceHash(), env.NEXT_SERVER_ACTIONS_ENCRYPTION_KEY);
  if (
    existsSync(path.join(root, ".next", "BUILD_ID")) &&
    existsSync(stamp) &&
    readFileSync(stamp, "utf8") === wanted
  )
    return;
  console.log("[parley] building the console (first start or changed sources; about a minute)…");
  const result = spawnSync(
    process.execPath,
    [path.join(root, "node_modules/next/dist/bin/next"), "build"],
    { stdio: "inherit", env },
  );
  if (result.status !== 0) fail("The build failed; see the output above.");
  writeFileSync(stamp, wanted);
}

let sqliteFile = null;
try {
  sqliteFile = resolveTarget(databaseUrl).filePath ?? null;
} catch (error) {
  fail(`Could not prepare the database at DATABASE_URL: ${formatEngineError(error)}`);
}
for (const p of prepareDataFolder({ sqliteFile, secretsFile }))
  console.log(`[parley] made ${path.relative(root, p) || p} private to this user`);

const secrets = loadOrCreateSecrets();
let actionsKey;
try {
  actionsKey = serverActionsKey(process.env, secrets);
} catch (error) {
  fail(error.message);
}
const env = {
  ...process.env,
  NODE_ENV: "production",
  NEXT_TELEMETRY_DISABLED: "1",
  CHECKPOINT_DISABLE: "1",
  DATABASE_URL: databaseUrl,
  PUBLIC_URL: publicUrl,
  NEXTAUTH_URL: process.env.NEXTAUTH_URL ?? publicUrl,
  NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET ?? secrets.sessionSecret,
  PARLEY_ENCRYPTION_KEY: process.env.PARLEY_ENCRYPTION_KEY ?? secrets.encryptionKey,
  NEXT_SERVER_ACTIONS_ENCRYPTION_KEY: actionsKey,
  PORT: port,
};

try {
  const applied = await deployMigrations({
    url: databaseUrl,
    log: (line) => console.log(`[parley] ${line}`),
  });
  if (applied.length)
    console.log(`[parley] database ready (${applied.length} migration(s) applied)`);
} catch (error) {
  fail(`Could not prepare the database at DATABASE_URL: ${formatEngineError(error)}`);
}

buildIfNeeded(env);

console.log(`[parley] starting on http://${host}:${port} (public URL ${publicUrl})`);
const child = spawn(
  process.execPath,
  [path.join(root, "node_modules/next/dist/bin/next"), "start", "-H", host, "-p", port],
  { stdio: "inherit", env },
);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
