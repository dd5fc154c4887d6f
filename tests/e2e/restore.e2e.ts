import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/generated/postgres/client";
import { parseKey, seal } from "@/core/secrets";
import { hashPassword } from "@/lib/auth/password";
import { deployMigrations } from "../../scripts/lib/schema-engine.mjs";
import { createDatabase, startPostgres, type PostgresCluster } from "../harness/postgres";
import { TEST_PASSWORD, unique } from "../helpers/e2e-browser";
import { HttpClient } from "../helpers/e2e-http";
import { REPO_ROOT, startParley, type ParleyServer } from "../helpers/e2e-server";

// ACCEPTANCE (docs/deployment.md, "Backup and restore"): a PostgreSQL backup taken with
// pg_dump as the guide says, restored by scripts/restore.sh into a fresh database, serves the
// console: the restored admin signs in and sees the restored customer, and the restored key
// opens the restored server credential. A secrets file from another install, and a target that
// already has tables, are refused.

const BIN = "/usr/lib/postgresql/15/bin";
let pg: PostgresCluster;
let work: string;
let dump: string;
let secrets: string;
let console_: ParleyServer | undefined;
const admin = { email: `${unique("admin")}@restore.test`, name: "Restored Admin" };
const customerName = `Restored Customer ${unique("c")}`;

function secretsFile(name: string): string {
  const file = path.join(work, name);
  const content = {
    sessionSecret: randomBytes(32).toString("base64"),
    encryptionKey: randomBytes(32).toString("base64"),
  };
  writeFileSync(file, JSON.stringify(content), { mode: 0o600 });
  return file;
}

function restore(target: string, secretsPath: string, installAt: string) {
  return spawnSync("bash", ["scripts/restore.sh", dump, secretsPath, target], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    env: { ...process.env, PARLEY_SECRETS_FILE: installAt, PATH: `${BIN}:${process.env.PATH}` },
  });
}

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), "parley-restore-"));
  chmodSync(work, 0o755); // pg_dump runs as root here, but keep it readable like a real folder
  pg = await startPostgres();
  await createDatabase(pg.adminUrl, "source");
  const source = pg.urlFor("source");
  await deployMigrations({ url: source, log: () => undefined });
  secrets = secretsFile("secrets.json");
  const key = parseKey(
    (JSON.parse(readFileSync(secrets, "utf8")) as { encryptionKey: string }).encryptionKey,
  );
  const db = new PrismaClient({ adapter: new PrismaPg({ connectionString: source }) });
  try {
    await db.user.create({
      data: { ...admin, role: "ADMIN", passwordHash: await hashPassword(TEST_PASSWORD) },
    });
    await db.customer.create({ data: { name: customerName, contactEmail: "c@restore.test" } });
    await db.server.create({
      data: {
        name: "Restored ejabberd",
        kind: "EJABBERD",
        domain: "restore.test",
        apiUrl: "http://127.0.0.1:1",
        apiTokenEnc: seal("the-admin-api-token", key),
      },
    });
  } finally {
    await db.$disconnect();
  }
  dump = path.join(work, "parley.dump");
  execFileSync(`${BIN}/pg_dump`, ["--format=custom", `--file=${dump}`, source]);
}, 180_000);

afterAll(async () => {
  await console_?.dispose();
  await pg?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("backup and restore", () => {
  it("restores into a fresh database, installs the secrets and proves the key opens the credentials", async () => {
    await createDatabase(pg.adminUrl, "restored");
    const installed = path.join(work, "installed", "secrets.json");
    const run = restore(pg.urlFor("restored"), secrets, installed);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain("opens every sealed value checked: 1 server credential(s)");
    expect(statSync(installed).mode & 0o777).toBe(0o600);

    // The console starts on the restored database with the restored secrets.
    console_ = await startParley({
      env: { DATABASE_URL: pg.urlFor("restored"), PARLEY_SECRETS_FILE: installed },
    });
    const client = new HttpClient(console_.url);
    await client.signIn(admin.email, TEST_PASSWORD);
    const page = await client.request("/console/customers");
    expect(page.status).toBe(200);
    expect(page.body).toContain(customerName);
  });

  it("refuses a secrets file that does not belong to the backup", async () => {
    await createDatabase(pg.adminUrl, "wrongkey");
    const other = secretsFile("other-secrets.json");
    const run = restore(pg.urlFor("wrongkey"), other, path.join(work, "wrong", "secrets.json"));
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("this secrets file does not belong to this database");
  });

  it("refuses a target database that already has tables", async () => {
    const run = restore(pg.urlFor("restored"), secrets, path.join(work, "again", "secrets.json"));
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("already has");
  });
});
