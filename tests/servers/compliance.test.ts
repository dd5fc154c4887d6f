import { randomBytes } from "node:crypto";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EjabberdAdapter } from "../../provisioning/servers/ejabberd/adapter";
import { EjabberdApi } from "../../provisioning/servers/ejabberd/http-api";
import { LocalExecutor } from "../../provisioning/transport/local-executor";
import { startEjabberd, type EjabberdInstance } from "../harness/ejabberd";
import { ProsodyAdapter } from "../../provisioning/servers/prosody/adapter";
import { ShellRunner } from "../../provisioning/servers/prosody/shell";
import { SshExecutor } from "../../provisioning/transport/ssh-executor";
import { enforcePolicy } from "../../provisioning/compliance/enforce";
import { sha256 } from "../../provisioning/compliance/include-files";
import type { Policy } from "../../provisioning/compliance/policy";
import { ejabberdReloader } from "../../provisioning/servers/ejabberd/compliance";
import { purgeArchives } from "../../provisioning/servers/ejabberd/purge";
import { prosodyReloader } from "../../provisioning/servers/prosody/compliance";
import { purgeProsodyArchives } from "../../provisioning/servers/prosody/expiry";
import { renderProsodyInclude } from "../../provisioning/servers/prosody/include";
import { verifyServer } from "../../provisioning/compliance/verify";
import { startProsody, type ProsodyInstance } from "../harness/prosody";
import { startSshd, type SshdInstance } from "../harness/sshd";
import { RawClient, login } from "../helpers/raw-xmpp";

// A client address that appears nowhere else: the whole 127/8 is loopback on Linux.
const CLIENT_ADDRESS = "127.45.67.89";
const hmacKey = randomBytes(32);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- ejabberd

describe("compliance on ejabberd 23.01", () => {
  let ej: EjabberdInstance;
  let api: EjabberdApi;
  let adapter: EjabberdAdapter;
  const executor = new LocalExecutor();
  const policy: Policy = {
    name: "strict",
    mamRetentionDays: 30,
    mucRetentionDays: 30,
    uploadExpiryDays: 7,
    noIpLogging: true,
    noPasswordLogging: true,
    maxLogLevel: "info",
    forbiddenModules: ["mod_fail2ban"],
  };

  beforeAll(async () => {
    // Starts NOT hiding client addresses: the drift the verification must find.
    ej = await startEjabberd({
      hideSensitiveLogData: false,
      loglevel: "info",
      policyInclude: true,
    });
    const token = await ej.mintToken();
    api = new EjabberdApi({ apiUrl: ej.apiUrl, token });
    adapter = new EjabberdAdapter({
      apiUrl: ej.apiUrl,
      token,
      domain: ej.vhost,
      mucDomain: ej.mucDomain,
    });
    for (const user of ["alice", "bob"]) await adapter.createAccount(user, `${user}-pw`);
  });
  afterAll(async () => {
    await adapter?.close();
    await ej?.stop();
  });

  const verify = (logSince?: number) =>
    verifyServer({
      kind: "ejabberd",
      executor,
      policy,
      includePath: ej.includeFile!,
      logPath: ej.logFile,
      hmacKey,
      logSince,
      ejabberd: { mainConfigPath: path.join(ej.dir, "ejabberd.yml"), lastPurgeAt: null },
    });

  it("finds the logged client address, enforces the policy, and the next login is not logged", async () => {
    await login({
      port: ej.c2sPort,
      domain: ej.vhost,
      user: "alice",
      password: "alice-pw",
      localAddress: CLIENT_ADDRESS,
    });
    await sleep(300);
    expect(readFileSync(ej.logFile, "utf8")).toContain(CLIENT_ADDRESS); // the premise

    const before = await verify();
    expect(before.status).toBe("drifted");
    const scan = before.checks.find((c) => c.name === "log scan")!;
    expect(scan.passed).toBe(false);
    expect(scan.evidence.some((e) => e.kind === "ipv4" && e.masked?.includes("[IPv4]"))).toBe(true);
    expect(JSON.stringify(before)).not.toContain(CLIENT_ADDRESS);
    expect(before.checks.find((c) => c.name === "configuration match")!.passed).toBe(false);
    // No certfiles, plain c2s: not required.
    expect(before.checks.find((c) => c.name === "TLS required for clients")!.passed).toBe(false);
    expect(before.checks.find((c) => c.name === "forbidden modules absent")!.passed).toBe(true);
    expect(before.checks.find((c) => c.name === "retention in force")!.passed).toBeNull();

    const result = await enforcePolicy({
      executor,
      kind: "ejabberd",
      includePath: ej.includeFile!,
      policy,
      reload: ejabberdReloader(api),
      healthCheck: () => adapter.health(),
    });
    expect(result).toMatchObject({ ok: true, changed: true, rolledBack: false });
    expect(result.newHash).toBe(sha256(readFileSync(ej.includeFile!, "utf8")));
    expect(result.previousHash).not.toBe(result.newHash);
    expect(readFileSync(ej.includeFile!, "utf8")).toContain("hide_sensitive_log_data: true");

    // Only what is written after enforcement counts: scan from the current end of the log.
    const since = statSync(ej.logFile).size;
    await login({
      port: ej.c2sPort,
      domain: ej.vhost,
      user: "alice",
      password: "alice-pw",
      localAddress: CLIENT_ADDRESS,
    });
    await sleep(300);
    expect(readFileSync(ej.logFile, "utf8").slice(since)).toContain("hidden_by_ejabberd");
    const after = await verify(since);
    expect(after.checks.find((c) => c.name === "log scan")!.passed).toBe(true);
    expect(after.checks.find((c) => c.name === "configuration match")!.passed).toBe(true);
    expect(after.configHash).toBe(result.newHash);
    expect(after.logSize).toBeGreaterThan(since);

    // Same policy again: nothing to do.
    const again = await enforcePolicy({
      executor,
      kind: "ejabberd",
      includePath: ej.includeFile!,
      policy,
      reload: ejabberdReloader(api),
      healthCheck: () => adapter.health(),
    });
    expect(again).toMatchObject({ ok: true, changed: false });
  });

  it("rolls back an include file ejabberd refuses", async () => {
    const good = readFileSync(ej.includeFile!, "utf8");
    const result = await enforcePolicy({
      executor,
      kind: "ejabberd",
      includePath: ej.includeFile!,
      policy,
      contentOverride: "loglevel: [broken\n",
      reload: ejabberdReloader(api),
      healthCheck: () => adapter.health(),
    });
    expect(result.ok).toBe(false);
    expect(result.rolledBack).toBe(true);
    expect(result.message).toMatch(/reload failed/);
    expect(readFileSync(ej.includeFile!, "utf8")).toBe(good);
    await login({ port: ej.c2sPort, domain: ej.vhost, user: "bob", password: "bob-pw" });
  });

  it("purges MAM with delete_old_mam_messages_batch", async () => {
    // ejabberd's granularity is whole days: "older than the retention" is simulated with days 0
    // (everything stored before now), and a message sent after the purge must survive.
    const alice = await RawClient.login({
      port: ej.c2sPort,
      domain: ej.vhost,
      user: "alice",
      password: "alice-pw",
    });
    try {
      alice.send(
        `<message to='bob@${ej.vhost}' type='chat' id='m1'><body>old-ejabberd</body></message>`,
      );
      await sleep(500);
      expect(await alice.mamBodies()).toContain("old-ejabberd");
      const purge = await purgeArchives({ api, host: ej.vhost, days: 0 });
      expect(purge.mamStatus).toMatch(/completed/i);
      expect(purge.offline).toBe("purged");
      expect(await alice.mamBodies()).toEqual([]);
      alice.send(
        `<message to='bob@${ej.vhost}' type='chat' id='m2'><body>new-ejabberd</body></message>`,
      );
      await sleep(500);
      expect(await alice.mamBodies()).toEqual(["new-ejabberd"]);
    } finally {
      await alice.close();
    }
  });
});

// ---------------------------------------------------------------- Prosody over SSH

describe("compliance on Prosody 0.12 over SSH", () => {
  let prosody: ProsodyInstance;
  let sshd: SshdInstance;
  let executor: SshExecutor;
  let shell: ShellRunner;
  let adapter: ProsodyAdapter;
  let includePath: string;
  const policy: Policy = {
    name: "short",
    mamRetentionDays: 7,
    mucRetentionDays: 7,
    uploadExpiryDays: 3,
    noIpLogging: true,
    noPasswordLogging: true,
    maxLogLevel: "info",
    forbiddenModules: ["mod_log_auth"],
  };
  // Retention in seconds for the test: a bare number is seconds in Prosody's duration syntax.
  // Aging: store a message, wait past the 5 s, then run the expiry task on demand (mod_cron
  // itself only checks daily tasks hourly).
  const renderOptions = () => ({
    prosody: { logPath: prosody.logFile, baseModulesDisabled: ["s2s"], archiveExpiresAfter: "5" },
  });

  beforeAll(async () => {
    prosody = await startProsody();
    sshd = await startSshd();
    includePath = path.join(prosody.dir, "parley-policy.cfg.lua");
    // The operator's main config: our keys removed, `Include` in the global section before the
    // first VirtualHost (an Include at the end would land in the Component section).
    const main = readFileSync(prosody.configPath, "utf8")
      .replace(/^(archive_expires_after|default_archive_policy|modules_disabled|log) = .*\n/gm, "")
      .replace(/^ {2}muc_log_(expires_after|by_default) = .*\n/gm, "")
      .replace(/^VirtualHost/m, `Include ${JSON.stringify(includePath)}\n\nVirtualHost`);
    writeFileSync(includePath, "");
    writeFileSync(prosody.configPath, main);
    await prosody.restart();
    executor = new SshExecutor({
      host: sshd.host,
      port: sshd.port,
      username: sshd.username,
      privateKey: sshd.clientPrivateKey,
      expectedHostKeySha256: sshd.hostKeySha256,
    });
    shell = new ShellRunner({
      executor,
      configPath: prosody.configPath,
      prosodyctl: prosody.prosodyctl,
    });
    adapter = new ProsodyAdapter({
      executor,
      configPath: prosody.configPath,
      prosodyctl: prosody.prosodyctl,
      domain: prosody.vhost,
      mucDomain: prosody.mucDomain,
      closeExecutor: false,
    });
    for (const user of ["alice", "bob"]) await adapter.createAccount(user, `${user}-pw`);
  });
  afterAll(async () => {
    await adapter?.close();
    await executor?.close();
    await prosody?.stop();
    await sshd?.stop();
  });

  const enforce = (contentOverride?: string) =>
    enforcePolicy({
      executor,
      kind: "prosody",
      includePath,
      policy,
      renderOptions: renderOptions(),
      contentOverride,
      reload: prosodyReloader({
        shell,
        host: prosody.vhost,
        mucHost: prosody.mucDomain,
        forbiddenModules: policy.forbiddenModules,
      }),
      healthCheck: () => adapter.health(),
    });
  const verify = () =>
    verifyServer({
      kind: "prosody",
      executor,
      policy,
      includePath,
      logPath: prosody.logFile,
      hmacKey,
      renderOptions: renderOptions(),
      prosody: { shell, host: prosody.vhost, mucHost: prosody.mucDomain },
    });

  it("writes the include file, reload applies it, and verification passes", async () => {
    const before = await verify();
    expect(before.checks.find((c) => c.name === "configuration match")!.passed).toBe(false);

    const result = await enforce();
    expect(result).toMatchObject({ ok: true, changed: true, rolledBack: false });
    const onDisk = readFileSync(includePath, "utf8");
    expect(onDisk).toBe(renderProsodyInclude(policy, renderOptions().prosody));
    expect(onDisk).toContain('archive_expires_after = "5"');
    expect((await shell.run(`config:get("${prosody.vhost}", "archive_expires_after")`)).value).toBe(
      '"5"',
    );
    // mod_mam was reloaded and logs the value it now uses.
    await sleep(200);

    const after = await verify();
    const byName = Object.fromEntries(after.checks.map((c) => [c.name, c]));
    expect(byName["configuration match"].passed).toBe(true);
    expect(byName["retention in force"].passed).toBe(true);
    expect(byName["forbidden modules absent"].passed).toBe(true);
    expect(byName["log scan"].passed).toBe(true);
    // The test server allows plain c2s: reported, not hidden.
    expect(byName["TLS required for clients"].passed).toBe(false);
    expect(after.status).toBe("drifted");
    expect(after.configHash).toBe(result.newHash);
  });

  it("rolls back an include file Prosody cannot parse and keeps serving", async () => {
    const good = readFileSync(includePath, "utf8");
    const result = await enforce('archive_expires_after = = "broken"\n');
    expect(result.ok).toBe(false);
    expect(result.rolledBack).toBe(true);
    expect(result.message).toMatch(/reload failed/);
    expect(readFileSync(includePath, "utf8")).toBe(good);
    expect((await adapter.health()).ok).toBe(true);
    await login({ port: prosody.c2sPort, domain: prosody.vhost, user: "bob", password: "bob-pw" });
  });

  it("expires archived messages older than the retention on demand", async () => {
    const alice = await RawClient.login({
      port: prosody.c2sPort,
      domain: prosody.vhost,
      user: "alice",
      password: "alice-pw",
    });
    try {
      alice.send(
        `<message to='bob@${prosody.vhost}' type='chat' id='m1'><body>old-prosody</body></message>`,
      );
      await sleep(300);
      expect(await alice.mamBodies()).toEqual(["old-prosody"]);
      await sleep(6_500); // past archive_expires_after = "5" seconds
      alice.send(
        `<message to='bob@${prosody.vhost}' type='chat' id='m2'><body>new-prosody</body></message>`,
      );
      await sleep(300);
      const purge = await purgeProsodyArchives({
        shell,
        host: prosody.vhost,
        mucHost: prosody.mucDomain,
      });
      expect(purge.vhost).toMatch(/^ran [1-9]/);
      expect(await alice.mamBodies()).toEqual(["new-prosody"]);
    } finally {
      await alice.close();
    }
  });
});
