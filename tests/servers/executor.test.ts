import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { CommandTimeoutError, type CommandExecutor } from "@/provisioning/transport/executor";
import { LocalExecutor } from "@/provisioning/transport/local-executor";
import {
  HostKeyMismatchError,
  SshConnectionError,
  SshExecutor,
  UnknownHostKeyError,
  fingerprintOfPublicKey,
  type SshExecutorOptions,
} from "@/provisioning/transport/ssh-executor";
import { startSshd, type SshdInstance } from "../harness/sshd";

let sshd: SshdInstance;
let scratch: string;
const opened: CommandExecutor[] = [];

function ssh(overrides: Partial<SshExecutorOptions> = {}): SshExecutor {
  const executor = new SshExecutor({
    host: sshd.host,
    port: sshd.port,
    username: sshd.username,
    privateKey: sshd.clientPrivateKey,
    expectedHostKeySha256: sshd.hostKeySha256,
    connectTimeoutMs: 5_000,
    ...overrides,
  });
  opened.push(executor);
  return executor;
}

// Processes whose command line contains `marker` (to prove a timed-out command is gone).
function processesWith(marker: string): string[] {
  return execFileSync("ps", ["-eo", "pid=,args="], { encoding: "utf8" })
    .split("\n")
    .filter((line) => line.includes(marker) && !line.includes("ps -eo"));
}

async function gone(marker: string, timeoutMs = 3_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (processesWith(marker).length === 0) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

function accepted(): number {
  return (sshd.output().match(/Accepted publickey for /g) ?? []).length;
}

beforeAll(async () => {
  sshd = await startSshd();
  scratch = mkdtempSync(path.join(os.tmpdir(), "parley-exec-"));
});

afterAll(async () => {
  for (const executor of opened) await executor.close().catch(() => undefined);
  await sshd?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const QUOTING_ARGS = [
  "a b",
  "it's",
  `"double"`,
  "$(id) `id` ${HOME}",
  "semi;colon && |",
  "back\\slash",
  "new\nline",
  "ü€😀",
  "",
  "-n",
  "*",
];

describe("LocalExecutor", () => {
  const local = new LocalExecutor();

  it("returns stdout, stderr and the exit code", async () => {
    const result = await local.run(["sh", "-c", "echo out; echo err >&2; exit 3"]);
    expect(result).toEqual({ code: 3, stdout: "out\n", stderr: "err\n" });
  });

  it("passes argv without a shell", async () => {
    const result = await local.run(["printf", "%s|", ...QUOTING_ARGS]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(QUOTING_ARGS.map((a) => `${a}|`).join(""));
  });

  it("feeds stdin", async () => {
    const input = "line 1\nzwei ü\n" + "x".repeat(200_000);
    const result = await local.run(["cat"], { input });
    expect(result.stdout).toBe(input);
    // No input: stdin is closed, so a reader does not hang.
    expect((await local.run(["cat"], { timeoutMs: 5_000 })).stdout).toBe("");
  });

  it("kills a command (and what it started) at the timeout", async () => {
    const marker = "7.31415";
    const started = Date.now();
    await expect(
      local.run(["sh", "-c", `sleep ${marker} & wait`], { timeoutMs: 300 }),
    ).rejects.toBeInstanceOf(CommandTimeoutError);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await gone(`sleep ${marker}`)).toBe(true);
  });

  it("caps captured output", async () => {
    const capped = new LocalExecutor({ maxOutputBytes: 1_000 });
    const result = await capped.run(["head", "-c", "100000", "/dev/zero"]);
    expect(result.code).toBe(0);
    expect(result.stdout.length).toBeLessThan(1_100);
    expect(result.stdout).toMatch(/\[output truncated\]$/);
  });

  it("rejects a missing command", async () => {
    await expect(local.run(["/nonexistent/parley-command"])).rejects.toThrow(/ENOENT/);
  });
});

describe("SshExecutor", () => {
  it("computes host-key fingerprints exactly like ssh-keygen", () => {
    const printed = execFileSync("ssh-keygen", ["-lf", path.join(sshd.dir, "host_ed25519.pub")], {
      encoding: "utf8",
    });
    expect(printed.split(" ")[1]).toBe(sshd.hostKeySha256);
    expect(fingerprintOfPublicKey(sshd.hostPublicKey)).toBe(sshd.hostKeySha256);
    expect(fingerprintOfPublicKey(`127.0.0.1 ${sshd.hostPublicKey}`)).toBe(sshd.hostKeySha256); // known_hosts form
    expect(() => fingerprintOfPublicKey("ssh-ed25519 not-base64!")).toThrow();
    expect(() =>
      fingerprintOfPublicKey(sshd.hostPublicKey.replace("ssh-ed25519", "ssh-rsa")),
    ).toThrow(/does not match/);
  });

  it("runs commands on the pinned host: output, exit codes, stderr", async () => {
    const executor = ssh();
    expect(await executor.run(["echo", "hi"])).toEqual({ code: 0, stdout: "hi\n", stderr: "" });
    expect(await executor.run(["sh", "-c", "echo out; echo err >&2; exit 3"])).toEqual({
      code: 3,
      stdout: "out\n",
      stderr: "err\n",
    });
    expect((await executor.run(["false"])).code).toBe(1);
    expect((await executor.run(["/nonexistent/parley-command"])).code).toBe(127);
  });

  it("quotes argv for the remote shell", async () => {
    const result = await ssh().run(["printf", "%s|", ...QUOTING_ARGS]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(QUOTING_ARGS.map((a) => `${a}|`).join(""));
  });

  it("feeds stdin", async () => {
    const executor = ssh();
    const input = "line 1\nzwei ü\n" + "y".repeat(300_000);
    expect((await executor.run(["cat"], { input })).stdout).toBe(input);
    expect((await executor.run(["cat"], { timeoutMs: 5_000 })).stdout).toBe("");
  });

  it("reuses one connection for many commands, also in parallel", async () => {
    const before = accepted();
    const executor = ssh({ maxConcurrentCommands: 3 });
    for (let i = 0; i < 5; i++)
      expect((await executor.run(["echo", String(i)])).stdout).toBe(`${i}\n`);
    const parallel = await Promise.all(
      Array.from({ length: 8 }, (_, i) => executor.run(["sh", "-c", `sleep 0.1; echo ${i}`])),
    );
    expect(parallel.map((r) => r.stdout)).toEqual(Array.from({ length: 8 }, (_, i) => `${i}\n`));
    expect(accepted() - before).toBe(1);
  });

  it("re-establishes a dropped connection", async () => {
    // Without the `timeout` wrapper, the command's parent is this connection's sshd session process.
    const executor = ssh({ remoteTimeout: "none" });
    expect((await executor.run(["echo", "one"])).stdout).toBe("one\n");
    const before = accepted();
    // Killing the session process drops the connection mid-command.
    await expect(
      executor.run(["sh", "-c", "kill -9 $PPID; sleep 5"], { timeoutMs: 10_000 }),
    ).rejects.toBeInstanceOf(SshConnectionError);
    expect((await executor.run(["echo", "two"])).stdout).toBe("two\n");
    expect(accepted() - before).toBe(1);
  });

  it("times out a command, ends it remotely and keeps working", async () => {
    const executor = ssh();
    const marker = "7.27182";
    const started = Date.now();
    await expect(executor.run(["sleep", marker], { timeoutMs: 500 })).rejects.toBeInstanceOf(
      CommandTimeoutError,
    );
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(await gone(`sleep ${marker}`)).toBe(true);
    expect((await executor.run(["echo", "after"])).stdout).toBe("after\n");
  });

  it("refuses an unpinned host and reports the fingerprint it saw; nothing runs", async () => {
    const marker = path.join(scratch, "unknown-key-ran");
    const executor = ssh({ expectedHostKeySha256: null });
    const error = await executor.run(["touch", marker]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownHostKeyError);
    expect((error as UnknownHostKeyError).fingerprint).toBe(sshd.hostKeySha256);
    expect(existsSync(marker)).toBe(false);
  });

  it("refuses a host whose key differs from the pinned one; nothing runs", async () => {
    const marker = path.join(scratch, "mismatch-ran");
    const otherKey = fingerprintOfPublicKey(
      readFileSync(path.join(sshd.dir, "client.pub"), "utf8"),
    );
    const executor = ssh({ expectedHostKeySha256: otherKey });
    const error = await executor.run(["touch", marker]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostKeyMismatchError);
    expect((error as HostKeyMismatchError).expected).toBe(otherKey);
    expect((error as HostKeyMismatchError).seen).toBe(sshd.hostKeySha256);
    // Still refused on the next attempt: never accepted silently.
    await expect(executor.run(["touch", marker])).rejects.toBeInstanceOf(HostKeyMismatchError);
    expect(existsSync(marker)).toBe(false);
    // The same command with the right pin does run (the marker test is meaningful).
    await ssh().run(["touch", marker]);
    expect(existsSync(marker)).toBe(true);
  });

  it("accepts the pin with or without padding/prefix and rejects malformed pins", () => {
    expect(() =>
      ssh({ expectedHostKeySha256: sshd.hostKeySha256.slice("SHA256:".length) + "=" }),
    ).not.toThrow();
    expect(() => ssh({ expectedHostKeySha256: "MD5:aa:bb" })).toThrow(TypeError);
  });

  it("fails clearly on a key the server does not accept, without echoing the key", async () => {
    const other = path.join(scratch, "other_key");
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", other], { stdio: "ignore" });
    const privateKey = readFileSync(other, "utf8");
    const error = await ssh({ privateKey })
      .run(["true"])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SshConnectionError);
    expect((error as Error).message).toMatch(/authentication/i);
    expect((error as Error).message).not.toContain(privateKey.split("\n")[1]);

    const garbage =
      "-----BEGIN OPENSSH PRIVATE KEY-----\nnot a key\n-----END OPENSSH PRIVATE KEY-----\n";
    const bad = await ssh({ privateKey: garbage })
      .run(["true"])
      .catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(SshConnectionError);
    expect((bad as Error).message).not.toContain("not a key");
  });

  it("times out connecting to a silent port", async () => {
    const net = await import("node:net");
    const server = net.createServer(() => undefined); // accepts, never speaks SSH
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    const port = (server.address() as import("node:net").AddressInfo).port;
    try {
      const started = Date.now();
      await expect(ssh({ port, connectTimeoutMs: 500 }).run(["true"])).rejects.toBeInstanceOf(
        SshConnectionError,
      );
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      server.close();
    }
  });

  it("refuses to run after close()", async () => {
    const executor = ssh();
    await executor.run(["true"]);
    await executor.close();
    await expect(executor.run(["true"])).rejects.toThrow(/closed/);
  });
});
