import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { Worker } from "node:worker_threads";
import { createExecutor } from "@/provisioning/transport/for-server";
import { SshExecutor } from "@/provisioning/transport/ssh-executor";
import { ProsodyAdapter } from "@/provisioning/servers/prosody/adapter";
import { startProsody, type ProsodyInstance } from "../../harness/prosody";
import { startSshd, type SshdInstance } from "../../harness/sshd";

// A local user watches `ps` (every process's /proc/<pid>/cmdline is world-readable) while Parley
// sets Prosody passwords, here and on the SSH host (which is this machine, through sshd); and a
// server tool Parley runs reads its environment. Neither may see a secret.

// Reads every process's command line in a loop on its own thread, as fast as it can, and keeps
// the ones holding a needle; also counts the prosodyctl runs it saw, so a sampler that saw
// nothing cannot pass.
const SAMPLER = `
const { parentPort, workerData } = require("node:worker_threads");
const fs = require("node:fs");
let stop = false;
const hits = new Set();
const seen = new Set();
parentPort.on("message", () => { stop = true; });
(function loop() {
  for (let round = 0; round < 20; round++) {
    for (const pid of fs.readdirSync("/proc")) {
      if (!/^\\d+$/.test(pid)) continue;
      let cmd;
      try { cmd = fs.readFileSync("/proc/" + pid + "/cmdline", "latin1").replace(/\\0/g, " "); } catch { continue; }
      if (cmd.includes("prosodyctl")) seen.add(pid + " " + cmd.slice(0, 120));
      for (const needle of workerData.needles) if (cmd.includes(needle)) hits.add(cmd.slice(0, 300));
    }
  }
  if (stop) parentPort.postMessage({ hits: [...hits], seen: seen.size });
  else setImmediate(loop);
})();
`;

function sampleCommandLines(needles: string[]) {
  const worker = new Worker(SAMPLER, { eval: true, workerData: { needles } });
  return {
    stop: () =>
      new Promise<{ hits: string[]; seen: number }>((resolve) => {
        worker.once("message", (result) => {
          void worker.terminate();
          resolve(result);
        });
        worker.postMessage("stop");
      }),
  };
}

let prosody: ProsodyInstance;
let sshd: SshdInstance;
let ssh: SshExecutor;
beforeAll(async () => {
  [prosody, sshd] = await Promise.all([startProsody(), startSshd()]);
  ssh = new SshExecutor({
    host: sshd.host,
    port: sshd.port,
    username: sshd.username,
    privateKey: sshd.clientPrivateKey,
    expectedHostKeySha256: sshd.hostKeySha256,
  });
});
afterAll(async () => {
  await ssh?.close();
  await Promise.all([prosody?.stop(), sshd?.stop()]);
});

// What the adapter pool builds for a server on this machine.
const localExecutor = () =>
  createExecutor(
    {
      transport: "LOCAL",
      sshHost: null,
      sshPort: null,
      sshUser: null,
      sshKeyEnc: null,
      sshHostKeySha256: null,
    },
    randomBytes(32),
  );

const secret = (label: string) => `${label}-${randomBytes(12).toString("hex")}`;

describe("11.6 secrets in argv and env", () => {
  it("no Prosody password appears on any command line, locally or over SSH, while Parley sets them", async () => {
    const adapterOver = (executor: ReturnType<typeof createExecutor>) =>
      new ProsodyAdapter({
        executor,
        configPath: prosody.configPath,
        domain: prosody.vhost,
        mucDomain: prosody.mucDomain,
        prosodyctl: prosody.prosodyctl,
      });
    const local = adapterOver(localExecutor());
    const remote = adapterOver(ssh);
    const passwords = Array.from({ length: 8 }, (_, i) => secret(`pw${i}`));
    const sampler = sampleCommandLines(passwords);
    try {
      // Several at once, as the worker runs jobs concurrently.
      await Promise.all([
        (async () => {
          expect(await local.createAccount("argvlocal", passwords[0])).toBe("created");
          await local.setPassword("argvlocal", passwords[1]);
          expect(await local.checkPassword("argvlocal", passwords[1])).toBe(true);
          await local.setPassword("argvlocal", passwords[2]);
        })(),
        (async () => {
          expect(await remote.createAccount("argvremote", passwords[4])).toBe("created");
          await remote.setPassword("argvremote", passwords[5]);
          expect(await remote.checkPassword("argvremote", passwords[5])).toBe(true);
          await remote.setPassword("argvremote", passwords[6]);
        })(),
      ]);
    } finally {
      const { hits, seen } = await sampler.stop().then((r) => r);
      expect(seen, "the sampler saw prosodyctl running").toBeGreaterThan(0);
      expect(hits, "command lines holding a password").toEqual([]);
    }
  });

  it("a command Parley runs on this machine gets none of the console's secrets in its environment", async () => {
    const planted = {
      NEXTAUTH_SECRET: secret("session"),
      PARLEY_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
      STRIPE_SECRET_KEY: secret("sk_test"),
      STRIPE_WEBHOOK_SECRET: secret("whsec"),
      DATABASE_URL: `postgresql://parley:${secret("dbpw")}@127.0.0.1/parley`,
      SMTP_URL: `smtps://u:${secret("smtppw")}@mail.example.org:465`,
    };
    const saved = Object.fromEntries(Object.keys(planted).map((k) => [k, process.env[k]]));
    Object.assign(process.env, planted);
    try {
      const executor = localExecutor();
      const result = await executor.run(["/usr/bin/env"]);
      expect(result.code).toBe(0);
      const names = result.stdout.split("\n").map((line) => line.split("=")[0]);
      expect(names, "the child still finds its tools").toContain("PATH");
      const leaked = Object.entries(planted)
        .filter(([name, value]) => names.includes(name) || result.stdout.includes(value))
        .map(([name]) => name);
      expect(leaked, "secrets in the child's environment").toEqual([]);
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });
});
