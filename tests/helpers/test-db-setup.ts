import { afterAll, inject } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { randomBytes } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { deployMigrations } from "../../scripts/lib/schema-engine.mjs";
import { createDatabase } from "../harness/postgres";
import "./session-shim";

// Each test file gets its own migrated database: a temp SQLite file, or a fresh
// database on the PostgreSQL cluster that the postgres project's global setup started.
const kind = process.env.PARLEY_TEST_DB === "postgres" ? "postgres" : "sqlite";
let dir: string | undefined;
let url: string;

if (kind === "postgres") {
  const adminUrl = inject("pgAdminUrl");
  const name = `t_${randomBytes(6).toString("hex")}`;
  await createDatabase(adminUrl, name);
  url = adminUrl.replace(/\/postgres$/, `/${name}`);
} else {
  dir = mkdtempSync(path.join(os.tmpdir(), "parley-test-"));
  url = `file:${dir}/test.db`;
}
await deployMigrations({ url, log: () => undefined });

process.env.DATABASE_URL = url;
process.env.NEXTAUTH_SECRET = "test-session-secret-0123456789abcdef0123456789";
process.env.PARLEY_ENCRYPTION_KEY = randomBytes(32).toString("base64");
process.env.PUBLIC_URL = "http://parley.test";
delete (globalThis as { parleyPrisma?: unknown }).parleyPrisma;

afterAll(async () => {
  const holder = globalThis as { parleyPrisma?: { $disconnect: () => Promise<void> } };
  await holder.parleyPrisma?.$disconnect();
  delete (globalThis as { parleyPrisma?: unknown }).parleyPrisma;
  if (dir) rmSync(dir, { recursive: true, force: true });
});
