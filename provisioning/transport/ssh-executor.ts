// Runs commands on a backing server's machine over SSH (ssh2), with the host key pinned.
// One connection is reused for many commands and re-established when it drops.
// The private key is given as a string (decrypted by the caller) and never logged.

import { createHash, timingSafeEqual } from "node:crypto";
import { constants as osConstants } from "node:os";
import { Client, type ClientChannel } from "ssh2";
import {
  CommandTimeoutError,
  shellQuote,
  type CommandExecutor,
  type CommandResult,
  type RunOptions,
} from "./executor";
import { DEFAULT_MAX_OUTPUT_BYTES, OutputBuffer } from "./output-buffer";

// ---------------------------------------------------------------- fingerprints

const FINGERPRINT = /^SHA256:[A-Za-z0-9+/]{43}$/;

// OpenSSH's format: "SHA256:" + base64 of SHA-256 over the key blob, without padding.
export function fingerprintOfHostKey(keyBlob: Buffer): string {
  return "SHA256:" + createHash("sha256").update(keyBlob).digest("base64").replace(/=+$/, "");
}

// Accepts "SHA256:abc…", "abc…" and padded forms; returns the canonical "SHA256:abc…".
export function normalizeFingerprint(fingerprint: string): string {
  const trimmed = fingerprint.trim();
  const body = trimmed.startsWith("SHA256:") ? trimmed.slice("SHA256:".length) : trimmed;
  const canonical = "SHA256:" + body.replace(/=+$/, "");
  if (!FINGERPRINT.test(canonical))
    throw new TypeError("Not an SSH SHA256 fingerprint (expected SHA256:<43 base64 characters>)");
  return canonical;
}

export function isFingerprint(value: string): boolean {
  try {
    normalizeFingerprint(value);
    return true;
  } catch {
    return false;
  }
}

// Fingerprint of a pasted public key: "ssh-ed25519 AAAA… comment", an authorized_keys line
// with options, or a known_hosts line ("host ssh-ed25519 AAAA…").
export function fingerprintOfPublicKey(openSshPublicKeyLine: string): string {
  const fields = openSshPublicKeyLine.trim().split(/\s+/);
  for (let i = 0; i < fields.length - 1; i++) {
    const type = fields[i];
    if (
      !/^(ssh-[a-z0-9-]+|ecdsa-sha2-[a-z0-9-]+|sk-[a-z0-9@.-]+|rsa-sha2-[0-9]+)(@openssh\.com)?$/.test(
        type,
      )
    )
      continue;
    const encoded = fields[i + 1];
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) continue;
    const blob = Buffer.from(encoded, "base64");
    if (blob.length < 4) continue;
    const nameLength = blob.readUInt32BE(0);
    if (nameLength > blob.length - 4) continue;
    if (blob.subarray(4, 4 + nameLength).toString("latin1") !== type) {
      throw new TypeError(`The key data does not match its type ${type}`);
    }
    return fingerprintOfHostKey(blob);
  }
  throw new TypeError('Not an OpenSSH public key line (expected e.g. "ssh-ed25519 AAAA… comment")');
}

function sameFingerprint(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

// ---------------------------------------------------------------- errors

// The server presented a key and none was pinned: show `fingerprint` to staff for approval.
export class UnknownHostKeyError extends Error {
  constructor(
    readonly host: string,
    readonly port: number,
    readonly fingerprint: string,
  ) {
    super(
      `The SSH host key of ${host}:${port} is not pinned yet (server presented ${fingerprint})`,
    );
    this.name = "UnknownHostKeyError";
  }
}

// The server presented a different key than the pinned one: nothing was sent to it.
export class HostKeyMismatchError extends Error {
  constructor(
    readonly host: string,
    readonly port: number,
    readonly expected: string,
    readonly seen: string,
  ) {
    super(
      `The SSH host key of ${host}:${port} changed: expected ${expected}, server presented ${seen}`,
    );
    this.name = "HostKeyMismatchError";
  }
}

// Connecting, authenticating or keeping the connection failed (not a command's own failure).
export class SshConnectionError extends Error {
  constructor(
    message: string,
    readonly level?: string,
  ) {
    super(message);
    this.name = "SshConnectionError";
  }
}

// ---------------------------------------------------------------- executor

export type SshExecutorOptions = {
  host: string;
  port?: number;
  username: string;
  // OpenSSH-format (or PEM) private key, already decrypted.
  privateKey: string;
  // "SHA256:…" as printed by `ssh-keygen -lf`; null = nothing pinned yet (every connect fails
  // with UnknownHostKeyError carrying the presented fingerprint).
  expectedHostKeySha256: string | null;
  // TCP connect + SSH handshake + authentication. Default 10 s.
  connectTimeoutMs?: number;
  // Per command when run() gets no timeoutMs. Default 60 s.
  defaultTimeoutMs?: number;
  // Cap per stream (stdout, stderr). Default 4 MiB.
  maxOutputBytes?: number;
  // SSH keepalives on the shared connection; 0 disables. Default 15 s.
  keepaliveIntervalMs?: number;
  // Commands in flight at once on the shared connection (OpenSSH's MaxSessions defaults to 10). Default 4.
  maxConcurrentCommands?: number;
  // How a timed-out command is ended on the server. "coreutils" (default) runs every command
  // as `timeout -k 2 <timeout+1> <argv…>` (GNU or busybox), so it also ends when the connection is gone;
  // "none" sends argv unchanged and relies on the SSH "signal" request, which OpenSSH refuses
  // for root logins ("session signalling requires privilege separation").
  remoteTimeout?: "coreutils" | "none";
};

class Slots {
  private waiting: Array<() => void> = [];
  private busy = 0;
  constructor(private readonly limit: number) {}
  async acquire(): Promise<void> {
    if (this.busy < this.limit) {
      this.busy++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }
  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.busy--;
  }
}

function exitCodeOfSignal(signal: string | undefined): number {
  if (!signal) return 1;
  const name = (signal.startsWith("SIG") ? signal : `SIG${signal}`) as NodeJS.Signals;
  return 128 + (osConstants.signals[name] ?? 0);
}

// ssh2's Channel.signal() does nothing once our side of the channel is ended (it checks
// `writable`), and we end stdin right after sending the input. The protocol-level request is
// still valid while the channel is open, so send it directly (ssh2 1.17 internals), falling
// back to the public method. OpenSSH answers a "signal" request with killpg() on the session.
function signalRemote(channel: ClientChannel, name: string): void {
  const internals = channel as unknown as {
    _client?: { _protocol?: { signal?: (id: number, signal: string) => void } };
    outgoing?: { id?: number; state?: string };
  };
  try {
    const protocol = internals._client?._protocol;
    const outgoing = internals.outgoing;
    if (
      protocol?.signal &&
      (outgoing?.state === "open" || outgoing?.state === "eof") &&
      typeof outgoing.id === "number"
    ) {
      protocol.signal(outgoing.id, name);
      return;
    }
    channel.signal(name);
  } catch {
    /* channel already gone */
  }
}

export class SshExecutor implements CommandExecutor {
  private readonly host: string;
  private readonly port: number;
  private readonly expected: string | null;
  private readonly connectTimeoutMs: number;
  private readonly defaultTimeoutMs: number;
  private readonly maxOutputBytes: number;
  private readonly slots: Slots;
  private client: Client | null = null;
  private connecting: Promise<Client> | null = null;
  private closed = false;

  constructor(private readonly options: SshExecutorOptions) {
    this.host = options.host;
    this.port = options.port ?? 22;
    this.expected =
      options.expectedHostKeySha256 === null
        ? null
        : normalizeFingerprint(options.expectedHostKeySha256);
    this.connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
    this.defaultTimeoutMs = options.defaultTimeoutMs ?? 60_000;
    this.maxOutputBytes = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
    this.slots = new Slots(Math.max(1, options.maxConcurrentCommands ?? 4));
  }

  // Connects (if needed) without running anything: checks reachability, host key and login.
  async verify(): Promise<void> {
    this.assertOpen();
    await this.connection();
  }

  async run(argv: string[], options: RunOptions = {}): Promise<CommandResult> {
    this.assertOpen();
    if (argv.length === 0 || argv[0] === "") throw new Error("SshExecutor.run needs a command");
    const timeoutMs = options.timeoutMs ?? this.defaultTimeoutMs;
    const words =
      this.options.remoteTimeout === "none"
        ? argv
        : ["timeout", "-k", "2", String(Math.ceil(timeoutMs / 1000) + 1), ...argv];
    const command = words.map(shellQuote).join(" ");
    await this.slots.acquire();
    try {
      const reused = this.client !== null;
      let client = await this.connection();
      let channel: ClientChannel;
      try {
        channel = await this.exec(client, command);
      } catch (error) {
        // The channel never opened, so the command did not start: if the shared connection
        // went stale, reconnect once and try again.
        if (!reused || this.closed) throw error;
        this.drop(client);
        client = await this.connection();
        channel = await this.exec(client, command);
      }
      return await this.collect(channel, argv[0], timeoutMs, options.input);
    } finally {
      this.slots.release();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const pending = this.connecting;
    if (pending) await pending.catch(() => undefined);
    const client = this.client;
    this.client = null;
    if (!client) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        client.destroy();
        resolve();
      }, 2_000);
      client.once("close", () => {
        clearTimeout(timer);
        resolve();
      });
      client.end();
    });
  }

  private assertOpen() {
    if (this.closed) throw new Error("SshExecutor is closed");
  }

  private drop(client: Client) {
    if (this.client === client) this.client = null;
    client.destroy();
  }

  private connection(): Promise<Client> {
    if (this.client) return Promise.resolve(this.client);
    if (!this.connecting) {
      this.connecting = this.connect().finally(() => {
        this.connecting = null;
      });
    }
    return this.connecting;
  }

  private connect(): Promise<Client> {
    return new Promise<Client>((resolve, reject) => {
      const client = new Client();
      let hostKeyError: UnknownHostKeyError | HostKeyMismatchError | null = null;
      let ready = false;
      let failed = false;
      const fail = (error: Error) => {
        if (ready || failed) return;
        failed = true;
        clearTimeout(timer);
        client.destroy();
        reject(hostKeyError ?? error);
      };
      // ssh2's readyTimeout covers the handshake; this also bounds DNS/TCP and authentication.
      const timer = setTimeout(
        () =>
          fail(
            new SshConnectionError(
              `SSH connection to ${this.host}:${this.port} timed out after ${this.connectTimeoutMs} ms`,
              "timeout",
            ),
          ),
        this.connectTimeoutMs + 1_000,
      );
      client.on("ready", () => {
        if (failed) return;
        ready = true;
        clearTimeout(timer);
        if (this.closed) {
          client.end();
          reject(new Error("SshExecutor is closed"));
          return;
        }
        // Each command is a few small request/reply packets; Nagle + delayed ACKs would add ~40 ms to each.
        client.setNoDelay(true);
        this.client = client;
        resolve(client);
      });
      client.on("error", (error: Error & { level?: string }) => {
        if (!ready) {
          fail(
            new SshConnectionError(
              `SSH connection to ${this.host}:${this.port} failed: ${error.message}`,
              error.level,
            ),
          );
        } else if (this.client === client) {
          this.client = null; // dropped; the next command reconnects
        }
      });
      const onGone = () => {
        if (this.client === client) this.client = null;
        fail(
          new SshConnectionError(
            `SSH connection to ${this.host}:${this.port} closed during the handshake`,
          ),
        );
      };
      client.on("end", onGone);
      client.on("close", onGone);
      try {
        client.connect({
          host: this.host,
          port: this.port,
          username: this.options.username,
          privateKey: this.options.privateKey,
          readyTimeout: this.connectTimeoutMs,
          keepaliveInterval: this.options.keepaliveIntervalMs ?? 15_000,
          keepaliveCountMax: 3,
          tryKeyboard: false,
          hostVerifier: (key: Buffer): boolean => {
            const seen = fingerprintOfHostKey(key);
            if (this.expected === null) {
              hostKeyError = new UnknownHostKeyError(this.host, this.port, seen);
              return false;
            }
            if (!sameFingerprint(this.expected, seen)) {
              hostKeyError = new HostKeyMismatchError(this.host, this.port, this.expected, seen);
              return false;
            }
            return true;
          },
        });
      } catch (error) {
        // e.g. an unparsable private key; ssh2's message names the problem, never the key.
        fail(
          new SshConnectionError(
            `SSH connection to ${this.host}:${this.port} not started: ${(error as Error).message}`,
            "client-setup",
          ),
        );
      }
    });
  }

  private exec(client: Client, command: string): Promise<ClientChannel> {
    return new Promise<ClientChannel>((resolve, reject) => {
      try {
        client.exec(command, (error, channel) => (error ? reject(error) : resolve(channel)));
      } catch (error) {
        reject(error as Error);
      }
    });
  }

  private collect(
    channel: ClientChannel,
    argv0: string,
    timeoutMs: number,
    input: string | undefined,
  ): Promise<CommandResult> {
    return new Promise<CommandResult>((resolve, reject) => {
      const stdout = new OutputBuffer(this.maxOutputBytes);
      const stderr = new OutputBuffer(this.maxOutputBytes);
      let code: number | null = null;
      let signal: string | undefined;
      let settled = false;
      const finish = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        fn();
      };
      const timer = setTimeout(() => {
        // Ask sshd to kill the remote process group, then drop the channel.
        signalRemote(channel, "KILL");
        try {
          channel.close();
        } catch {
          /* channel already gone */
        }
        finish(() => reject(new CommandTimeoutError(argv0, timeoutMs)));
      }, timeoutMs);
      channel.on("data", (d: Buffer) => stdout.push(d));
      channel.stderr.on("data", (d: Buffer) => stderr.push(d));
      channel.on("exit", (exitCode: number | null, exitSignal?: string) => {
        if (typeof exitCode === "number") code = exitCode;
        else signal = exitSignal ?? "UNKNOWN";
      });
      channel.on("error", () => undefined);
      channel.on("close", () => {
        if (code === null && signal === undefined) {
          finish(() =>
            reject(
              new SshConnectionError(
                `The SSH connection to ${this.host}:${this.port} ended before ${argv0} finished`,
              ),
            ),
          );
          return;
        }
        const exit = code ?? exitCodeOfSignal(signal);
        finish(() => resolve({ code: exit, stdout: stdout.text(), stderr: stderr.text() }));
      });
      if (input !== undefined) channel.end(input);
      else channel.end();
    });
  }
}
