import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { prisma } from "@/core/db";
import { resetConfigForTests } from "@/core/config";
import { keepSqliteFilePrivate } from "@/core/db-sqlite";
import { createResetLink, emailResetLink } from "@/lib/chat-password-reset/reset-links";
import { requestConsolePasswordReset } from "@/lib/console-password-reset/by-email";
import { revealEmailLink } from "@/lib/notifications/send-email";
import { inviteUser } from "@/lib/users/invite-user";
import { emailJobs } from "@/lib/notifications/jobs";
import { jobDefinitions } from "@/lib/jobs/job-types";
import { Worker } from "@/provisioning/queue/worker";
import { freePort } from "../harness/ports";
import { linkIn, startSmtpSink, type SmtpSink } from "../harness/smtp-sink";
import { deliverEmails } from "../helpers/deliver-emails";
import { createWorld, type World } from "../helpers/fixtures";
import { prepareDataFolder } from "../../scripts/lib/data-folder.mjs";

// A local user who can read the database files (or a backup of them) collects one-time links
// from stored emails and takes over sign-ins. No usable token may ever be written: not before
// delivery, not after a failed one, not without SMTP, not in the SQLite WAL.

const TOKEN_IN_LINK = /\/(?:welcome|invite|reset|setup)\/([A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])/;
const tokenOf = (link: string) => link.match(TOKEN_IN_LINK)![1];

// Everything the database holds, as raw as it can be read: the SQLite file and its WAL and
// shared memory (bytes, not rows), or every row of every table on PostgreSQL as text.
async function databaseBytes(): Promise<string> {
  const url = process.env.DATABASE_URL!;
  if (url.startsWith("file:")) {
    const file = url.slice("file:".length);
    return ["", "-wal", "-shm", "-journal"]
      .map((s) => file + s)
      .filter(existsSync)
      .map((f) => readFileSync(f).toString("latin1"))
      .join("\n");
  }
  const tables = await prisma.$queryRawUnsafe<{ table_name: string }[]>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
  );
  const dumps = await Promise.all(
    tables.map(({ table_name }) =>
      prisma.$queryRawUnsafe<{ row: string }[]>(
        `SELECT t::text AS row FROM "${table_name.replace(/"/g, '""')}" t`,
      ),
    ),
  );
  return dumps
    .flat()
    .map((r) => r.row)
    .join("\n");
}

async function expectNoneStored(tokens: string[], when: string) {
  expect(tokens.length, "the test collected the tokens it looks for").toBeGreaterThan(0);
  const bytes = await databaseBytes();
  const found = tokens.filter((t) => bytes.includes(t));
  expect(found, `live tokens in the database ${when}`).toEqual([]);
}

let smtp: SmtpSink;
let w: World;
beforeAll(async () => {
  smtp = await startSmtpSink();
  w = await createWorld();
  await prisma.xmppAccount.update({
    where: { id: w.accountId },
    data: { recoveryEmail: "owner@example.org" },
  });
});
afterAll(async () => {
  delete process.env.SMTP_URL;
  resetConfigForTests();
  await smtp.stop();
});
beforeEach(() => {
  smtp.mails.length = 0;
});

const useSmtp = (url: string | undefined) => {
  if (url) process.env.SMTP_URL = url;
  else delete process.env.SMTP_URL;
  resetConfigForTests();
};

const unique = () => Math.random().toString(36).slice(2, 10);

describe("11.2 live links at rest: no usable token in the database, the WAL or the outbox", () => {
  it("without SMTP: a staff welcome link and a chat reset email are kept, the links only sealed", async () => {
    useSmtp(undefined);
    const welcome = await inviteUser(
      { name: "New Support", email: `support-${unique()}@parley.test`, role: "SUPPORT" },
      w.admin,
    );
    const reset = await createResetLink(w.accountId, 24, "lost phone", w.admin);
    const { id: resetEmailId } = await emailResetLink(
      w.accountId,
      reset.link,
      24,
      "owner@example.org",
    ).then(async () =>
      prisma.outboxEmail.findFirstOrThrow({
        where: { to: "owner@example.org" },
        orderBy: { createdAt: "desc" },
      }),
    );
    const tokens = [tokenOf(welcome.link), tokenOf(reset.link)];
    await expectNoneStored(tokens, "with the emails kept in the outbox");

    // Admins forward kept emails by hand: the link opens from its sealed copy, audited.
    expect(await revealEmailLink(resetEmailId, w.admin)).toBe(reset.link);
    expect(
      await prisma.auditEvent.count({
        where: { action: "outbox.link_revealed", targetId: resetEmailId, actorId: w.admin.id },
      }),
    ).toBe(1);
    await expectNoneStored(tokens, "after an admin opened a kept link");
  });

  it("with SMTP: a forgotten console password, a welcome and a chat reset, before and after delivery", async () => {
    useSmtp(smtp.url);
    await requestConsolePasswordReset(w.customerUser.email);
    await inviteUser(
      { name: "New Admin", email: `admin-${unique()}@parley.test`, role: "ADMIN" },
      w.admin,
    );
    const reset = await createResetLink(w.accountId, 24, "lost phone", w.admin);
    await emailResetLink(w.accountId, reset.link, 24, "owner@example.org");
    // Queued, not yet delivered: what a reader of the files sees while the relay is slow.
    const beforeDelivery = await databaseBytes();

    await deliverEmails();
    const links = smtp.mails.map(
      (m) => linkIn(m, "/account/reset") ?? linkIn(m, "/welcome") ?? linkIn(m, "/reset"),
    );
    expect(links.every(Boolean), "every mail carried its link").toBe(true);
    expect(links).toHaveLength(3);
    const tokens = links.map((l) => tokenOf(l!));
    expect(
      tokens.filter((t) => beforeDelivery.includes(t)),
      "tokens stored before delivery",
    ).toEqual([]);
    await expectNoneStored(tokens, "after delivery");
  });

  it("with SMTP down: a failing delivery keeps the link sealed, and delivers it later", async () => {
    useSmtp(`smtp://127.0.0.1:${await freePort()}`);
    const reset = await createResetLink(w.accountId, 24, "lost phone", w.admin);
    await emailResetLink(w.accountId, reset.link, 24, "owner@example.org");
    const worker = new Worker({
      db: prisma,
      jobs: jobDefinitions(emailJobs as never),
      backoff: () => 0,
    });
    expect(await worker.runOnce()).toBe(true);
    await worker.flushRuns();
    const failing = await prisma.outboxEmail.findFirstOrThrow({
      where: { to: "owner@example.org" },
      orderBy: { createdAt: "desc" },
    });
    expect(failing.error).toMatch(/ECONNREFUSED/);
    await expectNoneStored([tokenOf(reset.link)], "after a failed delivery");

    useSmtp(smtp.url);
    await deliverEmails();
    expect(smtp.mails.map((m) => linkIn(m, "/reset"))).toEqual([reset.link]);
    await expectNoneStored([tokenOf(reset.link)], "after the retry delivered it");
  });

  it("the test's own scan finds a token that is stored in clear (planted control)", async () => {
    const planted = "P".repeat(43);
    await prisma.customer.update({
      where: { id: w.customerId },
      data: { notes: `http://parley.test/reset/${planted}` },
    });
    expect((await databaseBytes()).includes(planted)).toBe(true);
    await prisma.customer.update({ where: { id: w.customerId }, data: { notes: "" } });
  });
});

describe("11.2 live links at rest: the data folder is private to the service user", () => {
  const mode = (p: string) => (statSync(p).mode & 0o777).toString(8);
  let scratch: string;
  beforeEach(() => {
    scratch = mkdtempSync(path.join(os.tmpdir(), "parley-data-"));
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("npm start closes an existing world-readable install: folder 0700, database, WAL and secrets 0600", () => {
    const data = path.join(scratch, "data");
    mkdirSync(data, { mode: 0o755 });
    chmodSync(data, 0o755);
    const db = path.join(data, "parley.db");
    for (const f of [db, `${db}-wal`, `${db}-shm`, path.join(data, "secrets.json")]) {
      writeFileSync(f, "x");
      chmodSync(f, 0o644);
    }
    const umask = process.umask();
    try {
      prepareDataFolder({ sqliteFile: db, secretsFile: path.join(data, "secrets.json") });
      expect(process.umask()).toBe(0o077);
    } finally {
      process.umask(umask);
    }
    expect(mode(data)).toBe("700");
    for (const f of [db, `${db}-wal`, `${db}-shm`, path.join(data, "secrets.json")])
      expect([path.basename(f), mode(f)]).toEqual([path.basename(f), "600"]);
  });

  it("a database SQLite creates later, and its WAL and shared memory, are 0600 even with umask 022", () => {
    const db = path.join(scratch, "fresh.db");
    // A separate process with the usual umask, as the worker or a first `next start` would be.
    const script = `
      process.umask(0o022);
      const { keepSqliteFilePrivate } = await import(${JSON.stringify(path.resolve("core/db-sqlite.ts"))});
      const { createClient } = await import("@libsql/client");
      keepSqliteFilePrivate(${JSON.stringify(`file:${db}`)});
      const c = createClient({ url: ${JSON.stringify(`file:${db}`)} });
      await c.execute("PRAGMA journal_mode = WAL");
      await c.execute("CREATE TABLE t (x TEXT)");
      await c.execute("INSERT INTO t VALUES ('row')");
      const fs = await import("node:fs");
      console.log(JSON.stringify(["", "-wal", "-shm"].map((s) => (fs.statSync(${JSON.stringify(db)} + s).mode & 0o777).toString(8))));
      c.close();
    `;
    const out = execFileSync(
      process.execPath,
      ["--import", "tsx", "--input-type=module", "-e", script],
      {
        encoding: "utf8",
      },
    );
    expect(JSON.parse(out.trim().split("\n").pop()!)).toEqual(["600", "600", "600"]);
    expect(typeof keepSqliteFilePrivate).toBe("function");
  });
});
