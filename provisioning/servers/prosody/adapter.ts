// XmppAdapter for Prosody 0.12 and 13 through its admin shell: every call is one
// `prosodyctl --config <cfg> shell "<command>"` run by a CommandExecutor, so the same adapter
// works on the console's machine (LocalExecutor) and on a remote one (SshExecutor).
// What the server offers is read once (serverProfile) and again by health() or after the server
// was unreachable: Prosody 13 suspends with its own account disabling (lua-disable.ts) and is
// given the role of new accounts; 0.12 parks the credentials record (lua.ts).

import {
  CAPABILITIES,
  PermanentProvisioningError,
  type Affiliation,
  type Capability,
  type Health,
  type RoomConfig,
  type RoomState,
  type XmppAdapter,
} from "../adapter";
import type { CommandExecutor } from "../../transport/executor";
import { isValidDomain } from "../../names";
import * as lua from "./lua";
import * as lua13 from "./lua-disable";
import { HostKeyMismatchError, UnknownHostKeyError } from "../../transport/ssh-executor";
import { ProsodyShellError, ShellRunner, type ShellReply } from "./shell";

export type ProsodyAdapterOptions = {
  executor: CommandExecutor;
  // Path of the server's prosody.cfg.lua on the machine the executor runs commands on.
  configPath: string;
  domain: string;
  mucDomain: string | null;
  // Command or absolute path of prosodyctl there. Default "prosodyctl".
  prosodyctl?: string;
  // Per prosodyctl call. Default 30 s.
  timeoutMs?: number;
  // close() also closes the executor (default true); false when several adapters share one.
  closeExecutor?: boolean;
};

function roomData(config: RoomConfig): lua.RoomData {
  if (!Number.isInteger(config.maxUsers) || config.maxUsers < 0)
    throw new PermanentProvisioningError("maxUsers must be a whole number ≥ 0");
  return {
    name: config.title,
    description: config.description,
    persistent: config.persistent,
    members_only: config.membersOnly,
    hidden: !config.public,
    archiving: config.archiving,
    whois: "moderators",
    moderated: false,
    allow_member_invites: false,
    changesubject: false,
    parley_max_users: config.maxUsers,
  };
}

const AFFILIATIONS: ReadonlySet<string> = new Set<Affiliation>([
  "owner",
  "admin",
  "member",
  "outcast",
  "none",
]);

// Answers a retry will not change.
const PERMANENT = [
  /^No such host/,
  /^No such user/,
  /^No such room/,
  /^Invalid (username|room name|JID)/,
  /^Not a MUC service/,
  /SASLprep/,
  /^Suspension needs/,
  /^Unsupported password_hash/,
  /^Cannot add an account to its own roster/,
  /^Could not set affiliation: (modify|cancel)\//,
];

function fail(action: string, error: unknown): never {
  if (error instanceof ProsodyShellError && PERMANENT.some((p) => p.test(error.detail))) {
    throw new PermanentProvisioningError(`${action}: ${error.detail}`);
  }
  throw error;
}

// Localparts and room names arrive validated (names.ts); this is a last line of defence for
// values that could never be a JID node, so they are refused before reaching the server.
function assertNode(value: string, what: string): void {
  if (
    value.length === 0 ||
    Buffer.byteLength(value, "utf8") > 1023 ||
    /[\s\p{Cc}"&'/:<>@\\]/u.test(value)
  ) {
    throw new PermanentProvisioningError(
      `Not a valid ${what}: ${JSON.stringify(value.slice(0, 80))}`,
    );
  }
}

function assertPassword(password: string): void {
  if (password.length === 0) throw new PermanentProvisioningError("The password is empty");
}

function yes(reply: ShellReply): boolean {
  if (reply.value === "yes") return true;
  if (reply.value === "no") return false;
  throw new ProsodyShellError(0, `unexpected answer: ${reply.value.slice(0, 200)}`);
}

function json<T>(reply: ShellReply): T {
  try {
    return JSON.parse(reply.value) as T;
  } catch {
    throw new ProsodyShellError(0, `unexpected answer: ${reply.value.slice(0, 200)}`);
  }
}

// What the running server offers (lua-disable.ts serverProfile).
type Profile = { version: string; disable: boolean; roles: boolean };

// Parley's accounts are members on Prosody 13, never admins, whatever default_provisioned_role says.
const ACCOUNT_ROLE = "prosody:member";

type RawRoom = {
  title: string;
  description: string;
  persistent: boolean;
  members_only: boolean;
  public: boolean;
  archiving: boolean;
  max_users: number;
  affiliations: Record<string, string> | unknown[];
};

export class ProsodyAdapter implements XmppAdapter {
  readonly kind = "prosody" as const;
  readonly domain: string;
  readonly mucDomain: string | null;
  readonly capabilities: ReadonlySet<Capability>;
  private readonly shell: ShellRunner;
  private profile: Promise<Profile> | null = null;

  constructor(private readonly options: ProsodyAdapterOptions) {
    if (!isValidDomain(options.domain))
      throw new TypeError(`Not a valid domain: ${options.domain}`);
    if (options.mucDomain !== null && !isValidDomain(options.mucDomain))
      throw new TypeError(`Not a valid MUC domain: ${options.mucDomain}`);
    if (!options.configPath) throw new TypeError("configPath is required");
    this.domain = options.domain;
    this.mucDomain = options.mucDomain;
    this.shell = new ShellRunner({
      executor: options.executor,
      configPath: options.configPath,
      prosodyctl: options.prosodyctl,
      timeoutMs: options.timeoutMs,
    });
    const rooms: Capability[] = [
      "rooms.create",
      "rooms.read",
      "rooms.affiliations",
      "rooms.destroy",
      "rooms.list",
    ];
    this.capabilities = new Set(
      CAPABILITIES.filter((c) => options.mucDomain !== null || !rooms.includes(c)),
    );
  }

  private jid(localpart: string): string {
    return `${localpart}@${this.domain}`;
  }

  private muc(): string {
    if (this.mucDomain === null)
      throw new PermanentProvisioningError("This Prosody server has no MUC service configured");
    return this.mucDomain;
  }

  private async run(action: string, command: string): Promise<ShellReply> {
    try {
      return await this.shell.run(command);
    } catch (error) {
      // It may come back as another release.
      if (error instanceof ProsodyShellError && /Unable to connect/i.test(error.detail))
        this.profile = null;
      fail(action, error);
    }
  }

  private serverProfile(): Promise<Profile> {
    if (!this.profile) {
      const reading = this.run("Read the server's version", lua13.serverProfile()).then((r) =>
        json<Profile>(r),
      );
      this.profile = reading;
      reading.catch(() => {
        if (this.profile === reading) this.profile = null;
      });
    }
    return this.profile;
  }

  async health(): Promise<Health> {
    try {
      this.profile = null;
      return { ok: true, version: (await this.serverProfile()).version };
    } catch (error) {
      // A host key to approve or a changed key is a trust decision for staff, not a health state.
      if (error instanceof UnknownHostKeyError || error instanceof HostKeyMismatchError)
        throw error;
      return { ok: false, detail: (error as Error).message };
    }
  }

  async createAccount(localpart: string, password: string): Promise<"created" | "exists"> {
    assertNode(localpart, "username");
    assertPassword(password);
    const { roles } = await this.serverProfile();
    try {
      await this.shell.run(
        roles
          ? lua13.createWithRole(localpart, this.domain, password, ACCOUNT_ROLE)
          : lua.userCreate(this.jid(localpart), password),
      );
      return "created";
    } catch (error) {
      if (error instanceof ProsodyShellError && /^User exists/.test(error.detail)) return "exists";
      fail("Create account", error);
    }
  }

  async deleteAccount(localpart: string): Promise<void> {
    assertNode(localpart, "username");
    try {
      await this.shell.run(lua.userDelete(this.jid(localpart)));
    } catch (error) {
      if (!(error instanceof ProsodyShellError && /^No such user/.test(error.detail)))
        fail("Delete account", error);
    }
    // user:delete purges every store of the user on internal storage; other drivers may not.
    await this.run("Delete account", lua.dropParked(localpart, this.domain));
  }

  async setPassword(localpart: string, password: string): Promise<void> {
    assertNode(localpart, "username");
    assertPassword(password);
    await this.run("Set password", lua.setPassword(localpart, this.domain, password));
  }

  // While suspended this checks the kept (parked) password, not the temporary random one.
  async checkPassword(localpart: string, password: string): Promise<boolean> {
    assertNode(localpart, "username");
    return yes(
      await this.run("Check password", lua.checkPassword(localpart, this.domain, password)),
    );
  }

  async accountExists(localpart: string): Promise<boolean> {
    assertNode(localpart, "username");
    return yes(await this.run("Account exists", lua.accountExists(localpart, this.domain)));
  }

  async listAccounts(): Promise<string[]> {
    const reply = await this.run("List accounts", lua.userList(this.domain));
    const suffix = `@${this.domain}`;
    return reply.lines
      .map((line) => line.trim())
      .filter((line) => line.endsWith(suffix) && line.length > suffix.length)
      .map((line) => line.slice(0, -suffix.length))
      .sort();
  }

  // The reason stays with the console; the client is told "Account suspended" (0.12) or
  // "Account disabled" (13).
  async suspend(localpart: string, _reason: string): Promise<void> {
    assertNode(localpart, "username");
    const { disable } = await this.serverProfile();
    await this.run(
      "Suspend account",
      disable ? lua13.disable(localpart, this.domain) : lua.suspend(localpart, this.domain),
    );
  }

  async unsuspend(localpart: string): Promise<void> {
    assertNode(localpart, "username");
    const { disable } = await this.serverProfile();
    await this.run(
      "Unsuspend account",
      disable ? lua13.enable(localpart, this.domain) : lua.unsuspend(localpart, this.domain),
    );
  }

  async isSuspended(localpart: string): Promise<boolean> {
    assertNode(localpart, "username");
    return yes(await this.run("Suspension status", lua.isSuspended(localpart, this.domain)));
  }

  async kickSessions(localpart: string, reason: string): Promise<number> {
    assertNode(localpart, "username");
    const reply = await this.run("Kick sessions", lua.kickSessions(localpart, this.domain, reason));
    return Number.parseInt(reply.value, 10);
  }

  async countSessions(localpart: string): Promise<number> {
    assertNode(localpart, "username");
    const reply = await this.run("Count sessions", lua.countSessions(localpart, this.domain));
    const n = Number.parseInt(reply.value, 10);
    if (!Number.isInteger(n) || n < 0)
      throw new ProsodyShellError(0, `unexpected answer: ${reply.value.slice(0, 200)}`);
    return n;
  }

  async addMutualContact(
    a: { localpart: string; name: string },
    b: { localpart: string; name: string },
  ): Promise<void> {
    assertNode(a.localpart, "username");
    assertNode(b.localpart, "username");
    await this.run("Add mutual contact", lua.addMutualContact(a, b, this.domain));
  }

  async createRoom(name: string, config: RoomConfig): Promise<"created" | "exists"> {
    assertNode(name, "room name");
    const reply = await this.run("Create room", lua.roomCreate(name, this.muc(), roomData(config)));
    return reply.value === "exists" ? "exists" : "created";
  }

  async configureRoom(name: string, config: RoomConfig): Promise<void> {
    assertNode(name, "room name");
    await this.run("Configure room", lua.roomConfigure(name, this.muc(), roomData(config)));
  }

  async readRoom(name: string): Promise<RoomState | null> {
    assertNode(name, "room name");
    const raw = json<RawRoom | null>(await this.run("Read room", lua.roomRead(name, this.muc())));
    if (raw === null) return null;
    const affiliations: Record<string, Affiliation> = {};
    if (!Array.isArray(raw.affiliations)) {
      for (const [jid, affiliation] of Object.entries(raw.affiliations)) {
        if (AFFILIATIONS.has(affiliation)) affiliations[jid] = affiliation as Affiliation;
      }
    }
    return {
      config: {
        title: raw.title,
        description: raw.description,
        persistent: raw.persistent,
        membersOnly: raw.members_only,
        public: raw.public,
        archiving: raw.archiving,
        maxUsers: raw.max_users,
      },
      affiliations,
    };
  }

  async setAffiliation(room: string, jid: string, affiliation: Affiliation): Promise<void> {
    assertNode(room, "room name");
    if (!AFFILIATIONS.has(affiliation))
      throw new PermanentProvisioningError(`Not an affiliation: ${String(affiliation)}`);
    if (jid.length === 0 || /[\s\p{Cc}]/u.test(jid))
      throw new PermanentProvisioningError("Not a valid JID");
    await this.run("Set affiliation", lua.roomSetAffiliation(room, this.muc(), jid, affiliation));
  }

  async destroyRoom(name: string, reason: string): Promise<void> {
    assertNode(name, "room name");
    await this.run("Destroy room", lua.roomDestroy(name, this.muc(), reason));
  }

  async listRooms(): Promise<string[]> {
    const list = json<unknown>(await this.run("List rooms", lua.roomList(this.muc())));
    return Array.isArray(list) ? list.filter((x): x is string => typeof x === "string") : [];
  }

  async close(): Promise<void> {
    if (this.options.closeExecutor !== false) await this.options.executor.close();
  }
}
