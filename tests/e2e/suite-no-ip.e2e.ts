import { describe, expect, it } from "vitest";
import {
  appendFileSync,
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  rmSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { createClient } from "@libsql/client";
import { SUITE_ARCHIVE } from "../helpers/e2e-server";
import { SUITE_FORWARDED_FOR, SUITE_REAL_IP } from "../helpers/e2e-browser";
import { scanForAddresses } from "../helpers/e2e-ip-scan";

// Runs after every other e2e file (see vitest.e2e.config.mts): every browser of the run sent
// forwarded-for headers with these addresses, and every server of the run left its database,
// secrets and output in the archive. None of them may hold the addresses anywhere.
const ADDRESSES = [SUITE_FORWARDED_FOR, SUITE_REAL_IP];

describe("after the whole end-to-end run", () => {
  it("no server's database or output holds a client address the browsers sent", () => {
    expect(existsSync(SUITE_ARCHIVE), "the other e2e files archive their servers here").toBe(true);
    const servers = readdirSync(SUITE_ARCHIVE);
    expect(servers.length).toBeGreaterThanOrEqual(2); // the build run of globalSetup and at least one test file
    expect(scanForAddresses({ dirs: [SUITE_ARCHIVE] }, ADDRESSES)).toEqual([]);
  });

  it("the same scan finds a planted copy in a database and in a log", async () => {
    const scratch = mkdtempSync(path.join(os.tmpdir(), "parley-suite-plant-"));
    try {
      const dir = path.join(
        SUITE_ARCHIVE,
        readdirSync(SUITE_ARCHIVE).find((d) =>
          existsSync(path.join(SUITE_ARCHIVE, d, "parley.db")),
        )!,
      );
      copyFileSync(path.join(dir, "parley.db"), path.join(scratch, "parley.db"));
      const db = createClient({ url: `file:${path.join(scratch, "parley.db")}` });
      await db.execute({
        sql: 'INSERT INTO "AuditEvent" ("id", "actorLabel", "action", "targetType", "reason") VALUES (?, ?, ?, ?, ?)',
        args: ["planted", "x", "planted", "t", `from ${SUITE_FORWARDED_FOR}`],
      });
      db.close();
      copyFileSync(path.join(dir, "server-output.log"), path.join(scratch, "server-output.log"));
      appendFileSync(path.join(scratch, "server-output.log"), `\nGET / from ${SUITE_REAL_IP}\n`);
      const found = scanForAddresses({ dirs: [scratch] }, ADDRESSES).map(
        (f) => `${path.basename(f.source.split(" ")[0])}:${f.address}`,
      );
      expect(found.some((f) => f.startsWith("parley.db") && f.endsWith(SUITE_FORWARDED_FOR))).toBe(
        true,
      );
      expect(found).toContain(`server-output.log:${SUITE_REAL_IP}`);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
