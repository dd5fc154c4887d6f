import { open } from "@/core/secrets";
import type { CommandExecutor } from "./executor";
import { LocalExecutor } from "./local-executor";
import { SshExecutor } from "./ssh-executor";

// The columns of a Server row that say how to reach its machine; the SSH key is still sealed here.
export type TransportRecord = {
  transport: "LOCAL" | "SSH";
  sshHost: string | null;
  sshPort: number | null;
  sshUser: string | null;
  sshKeyEnc: string | null;
  sshHostKeySha256: string | null;
};

// Runs commands on the server's machine: here, or over SSH with the pinned host key.
export function createExecutor(server: TransportRecord, key: Buffer): CommandExecutor {
  return server.transport === "SSH"
    ? new SshExecutor({
        host: server.sshHost ?? "",
        port: server.sshPort ?? 22,
        username: server.sshUser ?? "root",
        privateKey: server.sshKeyEnc ? open(server.sshKeyEnc, key) : "",
        expectedHostKeySha256: server.sshHostKeySha256,
      })
    : new LocalExecutor();
}
