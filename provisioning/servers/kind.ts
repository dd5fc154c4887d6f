// What every kind of backing server provides. Each kind lives in its own folder
// (provisioning/servers/<name>/) and exports one ServerKindDefinition from its kind.ts;
// registry.ts lists them. Nothing outside a kind's folder branches on the kind.

import type { Check, Evidence } from "../compliance/checks";
import type { FeatureModules } from "../compliance/features";
import type { Policy } from "../compliance/policy";
import type { CommandExecutor } from "../transport/executor";
import type { TransportRecord } from "../transport/for-server";
import type { XmppAdapter } from "./adapter";

// The columns of a Server row an adapter needs; credentials are still sealed here.
export type ServerRecord = TransportRecord & {
  id: string;
  // The Server.kind column (registry.ts maps it to a definition).
  kind: string;
  domain: string;
  mucDomain: string | null;
  apiUrl: string | null;
  apiTokenEnc: string | null;
  prosodyConfigPath: string | null;
  prosodyctlCommand: string | null;
};

// The Server columns a ServerRecord is read from: what an adapter is built from.
export const SERVER_RECORD_SELECT = {
  id: true,
  kind: true,
  domain: true,
  mucDomain: true,
  transport: true,
  apiUrl: true,
  apiTokenEnc: true,
  prosodyConfigPath: true,
  prosodyctlCommand: true,
  sshHost: true,
  sshPort: true,
  sshUser: true,
  sshKeyEnc: true,
  sshHostKeySha256: true,
} as const satisfies Record<keyof ServerRecord, true>;

// The further columns the compliance jobs read.
export type ComplianceRecord = ServerRecord & {
  logPath: string | null;
  mainConfigPath: string | null;
  lastPurgeAt: Date | null;
};

// What a kind's compliance support is built from when called directly (tests, scripts): the
// executor that reaches the server's files, Parley's include file there, the kind's render
// options, and its own options (e.g. an admin shell, the main configuration's path).
export type ComplianceTarget<RenderOptions, Options> = {
  executor: CommandExecutor;
  includePath: string;
  renderOptions?: RenderOptions;
  options?: Options;
};

// Built from a Server row by the compliance jobs.
export type RecordTarget = {
  executor: CommandExecutor;
  includePath: string;
  // Parley's encryption key, to open the sealed credentials.
  key: Buffer;
};

// Retention the purge applies (days; 0 = everything stored before now).
export type Retention = Pick<Policy, "mamRetentionDays" | "mucRetentionDays">;

// The longest a server keeps an archived message and an uploaded file under a policy, as Parley
// configures it (whole days; 0: not kept a whole day; null: Parley does not set it on this kind).
export type StorageLimits = { messageDays: number; uploadDays: number | null };

// What the verification knows when it asks the kind for a check.
export type VerifyContext<State> = {
  policy: Policy;
  // Parley's include file as read from disk (null: missing or unreadable).
  includeOnDisk: string | null;
  // What runningConfig returned as state; null when it threw (runningError says why).
  running: State | null;
  runningError: string | null;
  now: Date;
};

// Compliance support for one server of a kind: compliance/enforce.ts and compliance/verify.ts
// do the kind-agnostic part (atomic write, rollback, log scan, include file comparison) and ask
// this for everything that depends on the server software. Check summaries are the kind's words.
export interface ServerCompliance<State = unknown> {
  // The include file Parley owns on this server, for the policy.
  renderInclude(policy: Policy): string;
  // Makes the running server apply the include file just written (enforce then checks health
  // and rolls back on failure).
  reload(policy: Policy): Promise<void>;
  // What the running server uses beyond the include file: differences from the policy (evidence
  // for "configuration match") and whatever the later checks need (state). Throws when it cannot
  // be read: the comparison is then reported as unknown.
  runningConfig(policy: Policy): Promise<{ mismatches: Evidence[]; state: State }>;
  // The "retention in force" check.
  retentionInForce(ctx: VerifyContext<State>): Promise<Check>;
  // The "forbidden modules absent" check; only asked when the policy forbids modules (bare names).
  forbiddenModulesAbsent(forbidden: string[], ctx: VerifyContext<State>): Promise<Check>;
  // The "TLS required for clients" check.
  tlsRequired(ctx: VerifyContext<State>): Promise<Check>;
  // Module names as the server reports or configures them (null: could not be read); the provider
  // features are read from them (ServerKindDefinition.features).
  loadedModules(): Promise<string[] | null>;
  // Applies retention now: the server.purge job (scheduled daily when the kind does not expire
  // archives itself, and the console's "Purge old messages").
  purgeArchives?(retention: Retention): Promise<unknown>;
  // Closes what this object opened (not the executor it was given).
  close(): Promise<void>;
}

export interface ServerKindDefinition<
  Name extends string = string,
  RenderOptions = unknown,
  Options = unknown,
> {
  // Lower-case name: XmppAdapter.kind of its adapters, and the key of its render options and
  // options in enforcePolicy / verifyServer calls.
  readonly name: Name;
  // How the console writes it.
  readonly label: string;
  // Where a packaged install of this server logs when the Server row names no log file.
  readonly defaultLogPath: string;
  // false: the server cannot expire archives by itself, so Parley schedules a daily server.purge
  // job for every server of this kind with a policy (ServerCompliance.purgeArchives must exist).
  readonly expiresArchivesItself: boolean;
  // Which of the server's modules provide each provider feature.
  readonly features: FeatureModules;
  // What the policy means for how long things stay stored (the provider file states it).
  storageLimits(policy: Policy): StorageLimits;

  // Adapters connect lazily: creating one does not contact the server.
  createAdapter(server: ServerRecord, key: Buffer): XmppAdapter;
  // Compliance support for one server, from its parts (tests, scripts) or from its Server row (the jobs).
  compliance(target: ComplianceTarget<RenderOptions, Options>): ServerCompliance;
  complianceForRecord(server: ComplianceRecord, target: RecordTarget): ServerCompliance;
}
