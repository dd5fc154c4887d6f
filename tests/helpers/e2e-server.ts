import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createHash } from "node:crypto";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "../harness/ports";
import { waitFor } from "../harness/processes";
import { startGroup, type StartedGroup } from "./e2e-process";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

const SETUP_URL_RE = /PARLEY_SETUP_URL=(\S+)/g;

export function lastSetupUrl(output: string): string | null {
  const all = [...output.matchAll(SETUP_URL_RE)];
  return all.length ? all[all.length - 1][1] : null;
}

export const TEST_ACTIONS_KEY = Buffer.from("the one key of all e2e consoles!").toString("base64");

// The environment a test server gets: the runner's own, minus what would change its behaviour.
export function childEnv(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) {
    if (
      /^(VITEST|NEXTAUTH_|PARLEY_)/.test(key) ||
      ["NODE_ENV", "TEST", "DATABASE_URL", "PORT", "PUBLIC_URL", "HOST", "HOSTNAME"].includes(key)
    )
      delete env[key];
  }
  // Loopback only, whatever the runner's environment says. One server-actions key for every
  // test console, whatever its secrets: they all run the one build the e2e global setup made.
  Object.assign(
    env,
    {
      HOST: "127.0.0.1",
      NEXT_TELEMETRY_DISABLED: "1",
      CHECKPOINT_DISABLE: "1",
      NEXT_SERVER_ACTIONS_ENCRYPTION_KEY: TEST_ACTIONS_KEY,
    },
    extra,
  );
  return env;
}

export async function waitForHealth(
  url: string,
  isAlive: () => boolean,
  output: () => string,
  timeoutMs: number,
): Promise<void> {
  await waitFor(
    async () => {
      if (!isAlive())
        throw new Error(
          `the server exited before it was healthy. Output:\n${output().slice(-4000)}`,
        );
      const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(5_000) }).catch(
        () => null,
      );
      if (!res) return false;
      const body = await res.text();
      return res.status === 200 && body.includes('"ok"');
    },
    `${url}/api/health`,
    timeoutMs,
    250,
  ).catch((error: Error) => {
    // Surface the server's own words rather than only "timed out".
    if (error.message.includes("exited before")) throw error;
    throw new Error(`${error.message}\n--- server output ---\n${output().slice(-4000)}`);
  });
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

export type ParleyServer = {
  url: string;
  port: number;
  dbFile: string;
  dataDir: string;
  /** Everything every run of this server printed (stdout and stderr), across restarts. */
  output: () => string;
  /** What the current run printed. */
  runOutput: () => string;
  /** The setup link the current run printed, or null. */
  setupUrl: () => string | null;
  pids: () => number[];
  stop: () => Promise<void>;
  restart: () => Promise<void>;
  /** stop() and remove the data dir. */
  dispose: () => Promise<void>;
};

// `node scripts/start.mjs` (what `npm start` runs) on a free loopback port, with its own
// database and secrets in a temp dir. The build is done once by the e2e globalSetup,
// so start.mjs finds .next current and goes straight to `next start`.
export async function startParley(
  options: { env?: Record<string, string>; healthTimeoutMs?: number } = {},
): Promise<ParleyServer> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "parley-e2e-"));
  // As open as a data/ folder made by hand with the usual umask: `npm start` must close it.
  chmodSync(dataDir, 0o755);
  const dbFile = path.join(dataDir, "parley.db");
  let previousOutput = "";
  let current: StartedGroup | null = null;
  let port = 0;

  async function launch(fixedPort?: number) {
    const attempts = 4;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const candidate = fixedPort ?? (await freePort());
      const url = `http://127.0.0.1:${candidate}`;
      const started = startGroup(process.execPath, ["scripts/start.mjs"], {
        name: `parley:${candidate}`,
        cwd: REPO_ROOT,
        env: childEnv({
          PORT: String(candidate),
          HOST: "127.0.0.1",
          PUBLIC_URL: url,
          DATABASE_URL: `file:${dbFile}`,
          PARLEY_SECRETS_FILE: path.join(dataDir, "secrets.json"),
          ...options.env,
        }),
      });
      const alive = () => started.child.exitCode === null && started.child.signalCode === null;
      try {
        await waitForHealth(url, alive, started.output, options.healthTimeoutMs ?? 180_000);
        current = started;
        port = candidate;
        return;
      } catch (error) {
        const out = started.output();
        await started.stopGroup();
        previousOutput += out;
        const raced = /EADDRINUSE|address already in use/i.test(out);
        if (!raced || attempt === attempts) throw error;
        if (fixedPort)
          await waitFor(() => portIsFree(fixedPort), `port ${fixedPort} to be free`, 10_000);
      }
    }
  }

  async function stop() {
    if (!current) return;
    const run = current;
    current = null;
    await run.stopGroup();
    previousOutput += run.output();
  }

  await launch();
  return {
    get url() {
      return `http://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    dbFile,
    dataDir,
    output: () => previousOutput + (current?.output() ?? ""),
    runOutput: () => current?.output() ?? "",
    setupUrl: () => lastSetupUrl(current?.output() ?? ""),
    pids: () => (current?.pgid ? [current.pgid] : []),
    stop,
    async restart() {
      await stop();
      await launch(port);
    },
    async dispose() {
      await stop();
      archiveForSuiteScan(dataDir, previousOutput + (current?.output() ?? ""));
      rmSync(dataDir, { recursive: true, force: true });
    },
  } as ParleyServer;
}

// Every server of the e2e run leaves its data dir (database, secrets) and everything it printed
// in one place, so the last e2e file can scan the whole run for client addresses.
// One per checkout: e2e runs of two checkouts on one machine must not wipe or mix each other's.
export const SUITE_ARCHIVE = path.join(
  os.tmpdir(),
  `parley-e2e-suite-archive-${createHash("sha256").update(REPO_ROOT).digest("hex").slice(0, 12)}`,
);

function archiveForSuiteScan(dataDir: string, output: string) {
  if (!existsSync(dataDir)) return;
  const target = path.join(SUITE_ARCHIVE, path.basename(dataDir));
  mkdirSync(target, { recursive: true });
  // Permissions as the server left them (a copy's would be the copier's).
  const mode = (p: string) => statSync(p).mode & 0o777;
  const modes = Object.fromEntries([
    [".", mode(dataDir)],
    ...readdirSync(dataDir).map((f) => [f, mode(path.join(dataDir, f))]),
  ]);
  cpSync(dataDir, target, { recursive: true });
  writeFileSync(path.join(target, "server-output.log"), output);
  writeFileSync(path.join(target, ARCHIVED_MODES), JSON.stringify(modes));
}

export const ARCHIVED_MODES = "modes.json";
