import { describe, expect, it } from "vitest";
import { createHash, randomBytes } from "node:crypto";
import {
  appendFileSync,
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { createClient } from "@libsql/client";
import { ARCHIVED_MODES, SUITE_ARCHIVE } from "../helpers/e2e-server";
import { SUITE_FORWARDED_FOR, SUITE_REAL_IP } from "../helpers/e2e-browser";
import { scanForAddresses } from "../helpers/e2e-ip-scan";
import { scanForLiveTokens } from "../helpers/e2e-token-scan";

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

// The archived data folders of every server of the run that had a SQLite database.
const archivedServers = () =>
  readdirSync(SUITE_ARCHIVE)
    .map((d) => path.join(SUITE_ARCHIVE, d))
    .filter((d) => existsSync(path.join(d, "parley.db")));

describe("after the whole end-to-end run, one-time links and the data folder", () => {
  it("no server left a usable token in its database, WAL, output or outbox", async () => {
    const servers = archivedServers();
    expect(servers.length).toBeGreaterThanOrEqual(2);
    const findings = [];
    for (const dir of servers)
      for (const f of await scanForLiveTokens(dir, path.join(dir, "parley.db")))
        findings.push({ server: path.basename(dir), ...f });
    expect(findings).toEqual([]);
  });

  it("the same scan finds a planted live link in an outbox row and in a log", async () => {
    const scratch = mkdtempSync(path.join(os.tmpdir(), "parley-suite-token-plant-"));
    try {
      const from = archivedServers()[0];
      for (const f of ["parley.db", "server-output.log"])
        copyFileSync(path.join(from, f), path.join(scratch, f));
      const token = randomBytes(32).toString("base64url");
      const hash = createHash("sha256").update(token).digest("hex");
      const db = createClient({ url: `file:${path.join(scratch, "parley.db")}` });
      await db.execute({
        sql: 'INSERT INTO "SetupToken" ("id", "tokenHash", "purpose", "expiresAt") VALUES (?, ?, ?, ?)',
        args: ["planted", hash, "console-reset", new Date(Date.now() + 3_600_000).toISOString()],
      });
      await db.execute({
        sql: 'INSERT INTO "OutboxEmail" ("id", "to", "subject", "text", "transport") VALUES (?, ?, ?, ?, ?)',
        args: ["planted", "x@parley.test", "Reset", `http://x/account/reset/${token}`, "outbox"],
      });
      db.close();
      appendFileSync(path.join(scratch, "server-output.log"), `\nlink http://x/welcome/${token}\n`);
      const found = await scanForLiveTokens(scratch, path.join(scratch, "parley.db"));
      const sources = new Set(found.map((f) => f.source));
      expect(sources.has("server-output.log")).toBe(true);
      expect([...sources].some((s) => s.startsWith("parley.db"))).toBe(true);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it("every server's data folder was closed to other users: folder 0700, database, WAL and secrets 0600", () => {
    const open = [];
    for (const dir of archivedServers()) {
      const modes = JSON.parse(readFileSync(path.join(dir, ARCHIVED_MODES), "utf8")) as Record<
        string,
        number
      >;
      expect(Object.keys(modes)).toEqual(
        expect.arrayContaining([".", "parley.db", "secrets.json"]),
      );
      for (const [name, mode] of Object.entries(modes))
        if (mode & 0o077) open.push(`${path.basename(dir)}/${name}: ${mode.toString(8)}`);
    }
    expect(open).toEqual([]);
  });
});
