import { execFileSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
  chmodSync,
  copyFileSync,
} from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fingerprintOfPublicKey } from "../../provisioning/transport/ssh-executor";
import { freePort } from "./ports";
import { startProcess, waitFor, type Started } from "./processes";

// A throwaway OpenSSH server on 127.0.0.1: temp ed25519 host and client keys,
// root login by key only, foreground sshd tracked and stopped by PID.
export type SshdInstance = {
  host: string;
  port: number;
  username: string;
  // "SHA256:…" of the generated host key, as `ssh-keygen -lf` prints it.
  hostKeySha256: string;
  // The host's public key line ("ssh-ed25519 AAAA… comment").
  hostPublicKey: string;
  // OpenSSH-format private key (unencrypted) that authorized_keys accepts.
  clientPrivateKey: string;
  dir: string;
  output: () => string;
  stop: () => Promise<void>;
};

const SSHD = "/usr/sbin/sshd";

function keygen(file: string) {
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "parley-test", "-f", file], {
    stdio: "ignore",
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

export async function startSshd(): Promise<SshdInstance> {
  if (!existsSync(SSHD)) throw new Error("sshd is missing: apt-get install -y openssh-server");
  mkdirSync("/run/sshd", { recursive: true });
  chmodSync("/run/sshd", 0o755);

  const dir = mkdtempSync(path.join(os.tmpdir(), "parley-sshd-"));
  const hostKey = path.join(dir, "host_ed25519");
  const clientKey = path.join(dir, "client");
  keygen(hostKey);
  keygen(clientKey);
  const authorizedKeys = path.join(dir, "authorized_keys");
  copyFileSync(`${clientKey}.pub`, authorizedKeys);
  chmodSync(authorizedKeys, 0o600);
  const config = path.join(dir, "sshd_config");
  writeFileSync(
    config,
    [
      "ListenAddress 127.0.0.1",
      `HostKey ${hostKey}`,
      `PidFile ${path.join(dir, "sshd.pid")}`,
      `AuthorizedKeysFile ${authorizedKeys}`,
      "PermitRootLogin prohibit-password",
      "PubkeyAuthentication yes",
      "PasswordAuthentication no",
      "KbdInteractiveAuthentication no",
      "UsePAM no",
      "StrictModes no",
      "Subsystem sftp internal-sftp",
      "",
    ].join("\n"),
  );

  const hostPublicKey = readFileSync(`${hostKey}.pub`, "utf8").trim();
  const clientPrivateKey = readFileSync(clientKey, "utf8");

  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const proc: Started = startProcess(SSHD, ["-D", "-e", "-f", config, "-p", String(port)], {
      name: "sshd",
    });
    try {
      await waitFor(
        async () => {
          if (proc.child.exitCode !== null) throw new Error(`sshd exited: ${proc.output()}`);
          return canConnect(port);
        },
        "sshd to listen",
        10_000,
        25,
      );
    } catch (error) {
      lastError = error;
      await proc.stop("SIGTERM", 5_000);
      continue; // lost the port race, or sshd refused to start; try a new port
    }
    return {
      host: "127.0.0.1",
      port,
      username: os.userInfo().username,
      hostKeySha256: fingerprintOfPublicKey(hostPublicKey),
      hostPublicKey,
      clientPrivateKey,
      dir,
      output: proc.output,
      stop: async () => {
        await proc.stop("SIGTERM", 5_000);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  rmSync(dir, { recursive: true, force: true });
  throw new Error(`sshd did not start: ${(lastError as Error)?.message ?? "unknown error"}`);
}
