import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/generated/postgres/client";
import { deployMigrations } from "../../scripts/lib/schema-engine.mjs";
import { createDatabase, startPostgres, type PostgresCluster } from "../harness/postgres";
import { waitFor } from "../harness/processes";
import { groupAlive, startGroup, type StartedGroup } from "./e2e-process";
import { REPO_ROOT, childEnv, startParley, type ParleyServer } from "./e2e-server";

// A production layout on loopback: one PostgreSQL database, N consoles (`npm start` with
// PARLEY_WORKER=off) and M workers (`npm run worker`), all with one secrets file, as
// docs/deployment.md describes for several machines.

export type WorkerProcess = StartedGroup & { index: number };

export type Fleet = {
  pg: PostgresCluster;
  url: string;
  db: PrismaClient;
  consoles: ParleyServer[];
  workers: WorkerProcess[];
  // SIGKILL to the worker holding the most running jobs (once one holds any): their ids.
  killBusiestWorker(): Promise<string[]>;
  stop(): Promise<void>;
};

export async function startFleet(options: {
  consoles: number;
  workers: number;
  // Settings every process gets (the guide: the same .env everywhere).
  env: Record<string, string>;
  // Runs on the migrated database before any process starts (e.g. the first admin).
  seed?: (db: PrismaClient) => Promise<void>;
}): Promise<Fleet> {
  const work = mkdtempSync(path.join(os.tmpdir(), "parley-fleet-"));
  const secretsFile = path.join(work, "secrets.json");
  const secrets = {
    sessionSecret: randomBytes(32).toString("base64"),
    encryptionKey: randomBytes(32).toString("base64"),
  };
  writeFileSync(secretsFile, JSON.stringify(secrets), { mode: 0o600 });
  const pg = await startPostgres();
  const url = pg.urlFor("parley");
  const db = new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
  const env = { ...options.env, DATABASE_URL: url, PARLEY_SECRETS_FILE: secretsFile };

  const workers: WorkerProcess[] = [];
  const consoles: ParleyServer[] = [];
  const startWorker = async (index: number) => {
    const worker = startGroup(process.execPath, ["scripts/run-ts.mjs", "lib/jobs/worker-main.ts"], {
      name: `worker-${index}`,
      cwd: REPO_ROOT,
      env: childEnv(env),
    });
    workers.push(Object.assign(worker, { index }));
    await waitFor(
      async () => {
        if (!groupAlive(worker.pgid))
          throw new Error(`worker ${index} exited:\n${worker.output()}`);
        return /provisioning worker \S+ started/.test(worker.output());
      },
      `worker ${index} to start`,
      90_000,
      200,
    );
  };
  const stop = async () => {
    await Promise.all(workers.map((w) => w.stopGroup(15_000)));
    // Their output joins the first console's archive, which the last e2e file scans.
    if (consoles[0])
      writeFileSync(
        path.join(consoles[0].dataDir, "workers-output.log"),
        workers.map((w) => w.output()).join("\n"),
      );
    await Promise.all(consoles.map((c) => c.dispose()));
    await db.$disconnect();
    await pg.stop();
    rmSync(work, { recursive: true, force: true });
  };
  try {
    await createDatabase(pg.adminUrl, "parley");
    await deployMigrations({ url, log: () => undefined });
    await options.seed?.(db);
    await Promise.all([
      ...Array.from({ length: options.consoles }, async () => {
        consoles.push(await startParley({ env: { ...env, PARLEY_WORKER: "off" } }));
      }),
      ...Array.from({ length: options.workers }, (_, i) => startWorker(i + 1)),
    ]);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    pg,
    url,
    db,
    consoles,
    workers,
    async killBusiestWorker() {
      // A worker's id is host:pid:random; `npm run worker` is the group's leader.
      const running = (w: WorkerProcess) =>
        db.job.findMany({
          where: { status: "RUNNING", lockedBy: { contains: `:${w.pgid}:` } },
          select: { id: true },
        });
      // Frozen first (SIGSTOP), then asked what it holds once PostgreSQL has finished any
      // statement it sent last: a worker seen holding jobs can finish them all in the moment
      // before a plain kill lands. One that holds nothing when frozen is let go and another
      // moment tried. Killing a frozen process is as sudden as killing a running one.
      const victim = await waitFor(
        async () => {
          const alive = workers.filter((w) => groupAlive(w.pgid));
          const held = await Promise.all(alive.map(running));
          const most = Math.max(...held.map((h) => h.length));
          if (most === 0) return null;
          const worker = alive[held.findIndex((h) => h.length === most)];
          process.kill(-worker.pgid, "SIGSTOP");
          await new Promise((r) => setTimeout(r, 500));
          const holding = (await running(worker)).map((j) => j.id);
          if (holding.length > 0) return { worker, holding };
          process.kill(-worker.pgid, "SIGCONT");
          return null;
        },
        "a worker holding jobs",
        60_000,
        20,
      );
      process.kill(-victim.worker.pgid, "SIGKILL");
      await victim.worker.stopGroup(5_000);
      return victim.holding;
    },
    stop,
  };
}
