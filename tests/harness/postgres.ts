import { execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, rmSync, chmodSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { freePort } from "./ports";
import { startProcess, waitFor, type Started } from "./processes";

const BIN = "/usr/lib/postgresql/15/bin";

export type PostgresCluster = {
  port: number;
  adminUrl: string;
  urlFor: (db: string) => string;
  stop: () => Promise<void>;
};

// A throwaway PostgreSQL 15 cluster on loopback, run as the postgres user (initdb refuses root).
export async function startPostgres(): Promise<PostgresCluster> {
  if (!existsSync(`${BIN}/postgres`))
    throw new Error("PostgreSQL 15 is not installed: apt-get install -y postgresql");
  const dir = mkdtempSync(path.join(os.tmpdir(), "parley-pg-"));
  chmodSync(dir, 0o755);
  const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
  const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
  chownSync(dir, uid, gid);
  execFileSync(
    "runuser",
    [
      "-u",
      "postgres",
      "--",
      `${BIN}/initdb`,
      "-D",
      `${dir}/data`,
      "-A",
      "trust",
      "-U",
      "postgres",
      "-E",
      "UTF8",
      "--no-sync",
    ],
    { stdio: "ignore" },
  );
  let server: Started | undefined;
  let port = 0;
  for (let attempt = 0; attempt < 3 && !server; attempt++) {
    port = await freePort();
    const candidate = startProcess(
      `${BIN}/postgres`,
      [
        "-D",
        `${dir}/data`,
        "-p",
        String(port),
        "-k",
        dir,
        "-c",
        "listen_addresses=127.0.0.1",
        "-c",
        "fsync=off",
        "-c",
        "log_connections=off",
      ],
      { name: "postgres", uid, gid },
    );
    try {
      await waitFor(
        async () => {
          if (candidate.child.exitCode !== null) throw new Error(candidate.output());
          const client = new pg.Client({
            host: "127.0.0.1",
            port,
            user: "postgres",
            database: "postgres",
          });
          await client.connect();
          await client.end();
          return true;
        },
        "PostgreSQL to accept connections",
        20_000,
      );
      server = candidate;
    } catch (error) {
      await candidate.stop("SIGKILL");
      if (attempt === 2) throw error;
    }
  }
  const urlFor = (db: string) => `postgresql://postgres@127.0.0.1:${port}/${db}`;
  return {
    port,
    adminUrl: urlFor("postgres"),
    urlFor,
    async stop() {
      await server?.stop("SIGINT", 10_000);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function createDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name.replace(/[^a-z0-9_]/g, "")}"`);
  } finally {
    await client.end();
  }
}
