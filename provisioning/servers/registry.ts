import type { XmppAdapter } from "./adapter";
import { EjabberdAdapter } from "./ejabberd/adapter";
import { ProsodyAdapter } from "./prosody/adapter";
import { LocalExecutor } from "../transport/local-executor";
import { SshExecutor } from "../transport/ssh-executor";
import { open } from "../../core/secrets";
import { EjabberdApi } from "./ejabberd/http-api";
import { ShellRunner } from "./prosody/shell";
import type { CommandExecutor } from "../transport/executor";

// The columns of a Server row an adapter needs; credentials are still sealed here.
export type ServerRecord = {
  id: string;
  kind: "EJABBERD" | "PROSODY";
  domain: string;
  mucDomain: string | null;
  transport: "LOCAL" | "SSH";
  apiUrl: string | null;
  apiTokenEnc: string | null;
  prosodyConfigPath: string | null;
  prosodyctlCommand: string | null;
  sshHost: string | null;
  sshPort: number | null;
  sshUser: string | null;
  sshKeyEnc: string | null;
  sshHostKeySha256: string | null;
};

export function createAdapter(server: ServerRecord, key: Buffer): XmppAdapter {
  if (server.kind === "EJABBERD") {
    if (!server.apiUrl || !server.apiTokenEnc) throw new Error("This ejabberd server has no API URL or token; edit it under Servers.");
    return new EjabberdAdapter({ apiUrl: server.apiUrl, token: open(server.apiTokenEnc, key), domain: server.domain, mucDomain: server.mucDomain });
  }
  if (!server.prosodyConfigPath) throw new Error("This Prosody server has no configuration path; edit it under Servers.");
  const executor = createExecutor(server, key);
  return new ProsodyAdapter({
    executor, configPath: server.prosodyConfigPath, domain: server.domain, mucDomain: server.mucDomain,
    ...(server.prosodyctlCommand ? { prosodyctl: server.prosodyctlCommand } : {}),
  });
}

// What a configured server can do, without contacting it (adapters connect lazily).
export async function capabilitiesOf(server: ServerRecord, key: Buffer): Promise<string[]> {
  try {
    const adapter = createAdapter(server, key);
    const list = [...adapter.capabilities];
    await adapter.close();
    return list;
  } catch {
    return [];
  }
}

// Runs commands on the server's machine: here, or over SSH with the pinned host key.
export function createExecutor(server: ServerRecord, key: Buffer): CommandExecutor {
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

export function createEjabberdApi(server: ServerRecord, key: Buffer): EjabberdApi {
  if (!server.apiUrl || !server.apiTokenEnc) throw new Error("This ejabberd server has no API URL or token; edit it under Servers.");
  return new EjabberdApi({ apiUrl: server.apiUrl, token: open(server.apiTokenEnc, key) });
}

export function createProsodyShell(server: ServerRecord, executor: CommandExecutor): ShellRunner {
  if (!server.prosodyConfigPath) throw new Error("This Prosody server has no configuration path; edit it under Servers.");
  return new ShellRunner({ executor, configPath: server.prosodyConfigPath, ...(server.prosodyctlCommand ? { prosodyctl: server.prosodyctlCommand } : {}) });
}
