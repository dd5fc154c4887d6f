import { describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import path from "node:path";

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, "../..");

// The test database was migrated by the setup file with the same deploy `npm start` uses.
describe(`migrations (${process.env.PARLEY_TEST_DB})`, () => {
  const env = { ...process.env, DATABASE_URL: process.env.DATABASE_URL! };

  it("leave the database up to date", async () => {
    const { stdout } = await run(process.execPath, ["scripts/db-migrate.mjs", "status"], {
      cwd: ROOT,
      env,
    });
    expect(stdout).toContain("Database schema is up to date");
  });

  it("describe exactly the Prisma schema: no change waits to become a migration", async () => {
    const { stdout } = await run(process.execPath, ["scripts/db-migrate.mjs", "diff"], {
      cwd: ROOT,
      env,
    });
    expect(stdout.trim()).toBe("-- This is an empty migration.");
  });

  it("a second deploy changes nothing", async () => {
    const { stdout } = await run(process.execPath, ["scripts/db-migrate.mjs", "deploy"], {
      cwd: ROOT,
      env,
    });
    expect(stdout).not.toMatch(/Applied migration/);
  });
});
