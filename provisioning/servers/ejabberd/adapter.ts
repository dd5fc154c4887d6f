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
import { isValidDomain, normalizeName } from "../../names";
import { EjabberdBans } from "./bans";
import { EjabberdApi, EjabberdApiError, type FetchLike } from "./http-api";
import { releaseFromStatus } from "./release";
import {
  DEFAULT_SERVICE_MAX_USERS,
  normalizeRoomOptions,
  parseAffiliations,
  roomConfigToOptions,
  roomOptionsToConfig,
} from "./room-options";

// XmppAdapter for ejabberd 23.01 and 24.x over mod_http_api with a bearer token; every command
// is called at the version Parley was written for (release.ts). Suspension keeps the password:
// membership in a hidden shared roster group that the server's c2s access rule denies
// (acl `suspended: shared_group`, `c2s: - deny: suspended`; needs mod_shared_roster). Membership
// is read at each resource bind, so it applies at the next login without a reload; live sessions
// are kicked (stream resumption would skip bind). Parley never bans: 23.01's ban_account has no
// undo, and 24.06's (version 2) parks the password and sets a random one, so check_password fails
// while banned and a password set during the ban is lost when it is lifted. A ban made by someone
// else on 24.06+ still counts as a suspension, and unsuspending lifts it (bans.ts).

export type EjabberdAdapterOptions = {
  // e.g. "http://127.0.0.1:5280/api"
  apiUrl: string;
  // OAuth token, scope "ejabberd:admin".
  token: string;
  // The vhost accounts live on.
  domain: string;
  // The MUC service (e.g. "conference.example.org"); null disables the room capabilities.
  mucDomain: string | null;
  // Per request, default 10 s.
  timeoutMs?: number;
  fetch?: FetchLike;
  // Called once when the token is rejected (401); the request is retried with the new token.
  refreshToken?: () => Promise<string>;
  // The shared roster group named by the server's `suspended` ACL. Default "suspended".
  suspendedGroup?: string;
  // Roster group for addMutualContact. Default "Contacts".
  rosterGroup?: string;
  // mod_muc `max_users` of the service: ejabberd silently lowers larger room limits. Default 200.
  serviceMaxUsers?: number;
};

const AFFILIATIONS: readonly Affiliation[] = ["owner", "admin", "member", "outcast", "none"];
// As 23.01 and 24.12 word them.
const INVALID_ROOM_NAME = /Invalid 'name'|Invalid value of room name/;
const UNKNOWN_SERVICE = /Invalid 'service'|Unknown host passed in 'service'/;

function isCommandError(
  error: unknown,
  status: number,
  message?: RegExp,
): error is EjabberdApiError {
  return (
    error instanceof EjabberdApiError &&
    error.status === status &&
    (!message || message.test(error.serverMessage))
  );
}

export class EjabberdAdapter implements XmppAdapter {
  readonly kind = "ejabberd" as const;
  readonly domain: string;
  readonly mucDomain: string | null;
  readonly capabilities: ReadonlySet<Capability>;

  private readonly api: EjabberdApi;
  private readonly bans: EjabberdBans;
  private readonly suspendedGroup: string;
  private readonly rosterGroup: string;
  private readonly serviceMaxUsers: number;
  private groupReady: Promise<void> | null = null;

  constructor(options: EjabberdAdapterOptions) {
    if (!isValidDomain(options.domain))
      throw new Error(`Not a valid XMPP domain: ${options.domain}`);
    if (options.mucDomain !== null && !isValidDomain(options.mucDomain))
      throw new Error(`Not a valid MUC domain: ${options.mucDomain}`);
    this.domain = options.domain;
    this.mucDomain = options.mucDomain;
    this.api = new EjabberdApi({
      apiUrl: options.apiUrl,
      token: options.token,
      refreshToken: options.refreshToken,
      timeoutMs: options.timeoutMs,
      fetch: options.fetch,
    });
    this.bans = new EjabberdBans(this.api, this.domain);
    this.suspendedGroup = options.suspendedGroup ?? "suspended";
    this.rosterGroup = options.rosterGroup ?? "Contacts";
    this.serviceMaxUsers = options.serviceMaxUsers ?? DEFAULT_SERVICE_MAX_USERS;
    this.capabilities = new Set(
      options.mucDomain === null
        ? CAPABILITIES.filter((c) => !c.startsWith("rooms."))
        : CAPABILITIES,
    );
  }

  // Replaces the bearer token (after the caller minted a new one).
  setToken(token: string): void {
    this.api.setToken(token);
  }

  // Status, version, and (idempotently) the hidden suspension group: if the server's ACL
  // names a group that does not exist, every login fails at resource bind (the c2s process
  // crashes in mod_shared_roster:get_group_users for every non-member).
  async health(): Promise<Health> {
    try {
      const status = await this.api.status();
      const version = releaseFromStatus(status)?.label;
      if (!/is started/.test(status) || !version)
        return { ok: false, version, detail: status.slice(0, 300) };
      await this.ensureSuspendedGroup();
      return { ok: true, version };
    } catch (error) {
      return { ok: false, detail: (error as Error).message };
    }
  }

  async createAccount(localpart: string, password: string): Promise<"created" | "exists"> {
    const user = this.localpart(localpart);
    if (!password) throw new PermanentProvisioningError("ejabberd needs a non-empty password");
    try {
      await this.api.call(
        "register",
        { user, host: this.domain, password },
        { secrets: [password] },
      );
      return "created";
    } catch (error) {
      if (isCommandError(error, 409)) return "exists";
      if (isCommandError(error, 500, /Malformed username/i))
        throw new PermanentProvisioningError(
          `ejabberd refused the username "${user}" as malformed`,
        );
      if (isCommandError(error, 500, /Unknown virtual host/i))
        throw new PermanentProvisioningError(`ejabberd does not serve the domain ${this.domain}`);
      if (isCommandError(error, 500, /unacceptable characters/i))
        throw new PermanentProvisioningError(
          "ejabberd refused the password: it contains unacceptable characters",
        );
      throw error;
    }
  }

  // Idempotent. Leaves the suspension group first: unregister keeps the membership, and a
  // later account with the same name would otherwise start suspended.
  async deleteAccount(localpart: string): Promise<void> {
    const user = this.localpart(localpart);
    await this.expectZero("srg_user_del", {
      user,
      host: this.domain,
      group: this.suspendedGroup,
      grouphost: this.domain,
    });
    await this.api.call("unregister", { user, host: this.domain });
  }

  async setPassword(localpart: string, password: string): Promise<void> {
    const user = this.localpart(localpart);
    if (!password) throw new PermanentProvisioningError("ejabberd needs a non-empty password");
    if (await this.bans.banned(user))
      throw new PermanentProvisioningError(
        `${user}@${this.domain} is banned on the server (ban_account): a password set now would be lost when the ban is lifted; unsuspend it first`,
      );
    try {
      await this.expectZero("change_password", { user, host: this.domain, newpass: password }, [
        password,
      ]);
    } catch (error) {
      if (isCommandError(error, 404, /unknown_user/))
        throw new PermanentProvisioningError(`There is no account ${user}@${this.domain}`);
      throw error;
    }
  }

  async checkPassword(localpart: string, password: string): Promise<boolean> {
    const user = this.localpart(localpart);
    try {
      const result = await this.api.call<number>(
        "check_password",
        { user, host: this.domain, password },
        { secrets: [password] },
      );
      return result === 0;
    } catch (error) {
      if (isCommandError(error, 500) && (await this.bans.banned(user)))
        throw new PermanentProvisioningError(
          `${user}@${this.domain} is banned on the server (ban_account), which hides its password; unsuspend it first`,
        );
      throw error;
    }
  }

  async accountExists(localpart: string): Promise<boolean> {
    const user = this.localpart(localpart);
    return (await this.api.call<number>("check_account", { user, host: this.domain })) === 0;
  }

  async listAccounts(): Promise<string[]> {
    const users = await this.api.call<string[]>("registered_users", { host: this.domain });
    return [...users].sort();
  }

  // Adds the account to the hidden group (read at every resource bind), then ends every
  // session, including ones waiting for XEP-0198 resumption. The password is untouched.
  // The reason is not sent (kick_user has none in 23.01); keep it in the console.
  async suspend(localpart: string, _reason: string): Promise<void> {
    const user = this.localpart(localpart);
    // srg_user_add stores memberships of missing users, which would suspend a future account.
    if (!(await this.accountExists(user)))
      throw new PermanentProvisioningError(`There is no account ${user}@${this.domain} to suspend`);
    await this.ensureSuspendedGroup();
    await this.expectZero("srg_user_add", {
      user,
      host: this.domain,
      group: this.suspendedGroup,
      grouphost: this.domain,
    });
    await this.api.call("kick_user", { user, host: this.domain });
  }

  async unsuspend(localpart: string): Promise<void> {
    const user = this.localpart(localpart);
    await this.expectZero("srg_user_del", {
      user,
      host: this.domain,
      group: this.suspendedGroup,
      grouphost: this.domain,
    });
    await this.bans.lift(user);
  }

  async isSuspended(localpart: string): Promise<boolean> {
    const user = this.localpart(localpart);
    const members = await this.api.call<string[]>("srg_get_members", {
      group: this.suspendedGroup,
      host: this.domain,
    });
    return members.includes(`${user}@${this.domain}`) || (await this.bans.banned(user));
  }

  // Ends every session of the account; returns how many resources were kicked.
  // kick_user takes no reason in 23.01: clients see <policy-violation/> "has been kicked".
  async kickSessions(localpart: string, _reason: string): Promise<number> {
    const user = this.localpart(localpart);
    const result = await this.api.call<{ num_resources?: number }>("kick_user", {
      user,
      host: this.domain,
    });
    return result.num_resources ?? 0;
  }

  // user_resources: resource names only (the *_info commands would return client IPs).
  async countSessions(localpart: string): Promise<number> {
    const user = this.localpart(localpart);
    return (await this.api.call<string[]>("user_resources", { user, host: this.domain })).length;
  }

  async addMutualContact(
    a: { localpart: string; name: string },
    b: { localpart: string; name: string },
  ): Promise<void> {
    const ua = this.localpart(a.localpart);
    const ub = this.localpart(b.localpart);
    // add_rosteritem happily writes rosters for accounts that do not exist.
    for (const user of [ua, ub]) {
      if (!(await this.accountExists(user)))
        throw new PermanentProvisioningError(`There is no account ${user}@${this.domain}`);
    }
    const add = (owner: string, contact: string, nick: string) =>
      this.expectZero("add_rosteritem", {
        localuser: owner,
        localhost: this.domain,
        user: contact,
        host: this.domain,
        nick,
        group: this.rosterGroup,
        subs: "both",
      });
    await add(ua, ub, b.name);
    await add(ub, ua, a.name);
  }

  async createRoom(name: string, config: RoomConfig): Promise<"created" | "exists"> {
    const room = this.roomName(name);
    const service = this.muc();
    if (
      !Number.isInteger(config.maxUsers) ||
      config.maxUsers < 1 ||
      config.maxUsers > this.serviceMaxUsers
    ) {
      throw new PermanentProvisioningError(
        `A room on ${service} can have between 1 and ${this.serviceMaxUsers} occupants`,
      );
    }
    try {
      await this.expectZero("create_room_with_opts", {
        name: room,
        service,
        host: this.domain,
        options: roomConfigToOptions(config),
      });
      return "created";
    } catch (error) {
      if (isCommandError(error, 400, /already exists/i)) return "exists";
      if (isCommandError(error, 400, INVALID_ROOM_NAME))
        throw new PermanentProvisioningError(`ejabberd refused the room name "${room}"`);
      if (isCommandError(error, 400, UNKNOWN_SERVICE))
        throw new PermanentProvisioningError(`ejabberd does not serve the MUC domain ${service}`);
      throw error;
    }
  }

  // change_room_option one option at a time; "Room not found" is permanent.
  async configureRoom(name: string, config: RoomConfig): Promise<void> {
    const room = this.roomName(name);
    const service = this.muc();
    if (
      !Number.isInteger(config.maxUsers) ||
      config.maxUsers < 1 ||
      config.maxUsers > this.serviceMaxUsers
    ) {
      throw new PermanentProvisioningError(
        `A room on ${service} can have between 1 and ${this.serviceMaxUsers} occupants`,
      );
    }
    for (const option of roomConfigToOptions(config)) {
      try {
        await this.expectZero("change_room_option", {
          name: room,
          service,
          option: option.name,
          value: option.value,
        });
      } catch (error) {
        if (isCommandError(error, 400, /not found/i))
          throw new PermanentProvisioningError(`No such room: ${room}@${service}`);
        throw error;
      }
    }
  }

  async readRoom(name: string): Promise<RoomState | null> {
    const room = this.roomName(name);
    const service = this.muc();
    const options = normalizeRoomOptions(
      await this.api.call("get_room_options", { name: room, service }),
    );
    // get_room_options of a missing room answers 200 {}, not an error.
    if (Object.keys(options).length === 0) return null;
    let affiliations: unknown;
    try {
      affiliations = await this.api.call("get_room_affiliations", { name: room, service });
    } catch (error) {
      if (isCommandError(error, 400, /does not exist/i)) return null; // destroyed in between
      throw error;
    }
    return { config: roomOptionsToConfig(options), affiliations: parseAffiliations(affiliations) };
  }

  async setAffiliation(room: string, jid: string, affiliation: Affiliation): Promise<void> {
    const name = this.roomName(room);
    const service = this.muc();
    const bare = jid.trim().toLowerCase();
    const match = /^(?:([^@/\s"&'<>:\\]+)@)?([^@/\s]+)$/.exec(bare);
    if (!match || !isValidDomain(match[2]))
      throw new PermanentProvisioningError(`Not a bare JID: ${jid}`);
    if (!AFFILIATIONS.includes(affiliation))
      throw new PermanentProvisioningError(`Not an affiliation: ${affiliation}`);
    try {
      await this.expectZero("set_room_affiliation", { name, service, jid: bare, affiliation });
    } catch (error) {
      if (isCommandError(error, 400, /doesn't exist|does not exist|not found/i))
        throw new PermanentProvisioningError(`There is no room ${name}@${service}`);
      if (isCommandError(error, 400, /Invalid affiliation/i))
        throw new PermanentProvisioningError(`ejabberd refused the affiliation ${affiliation}`);
      throw error;
    }
  }

  // Idempotent. destroy_room takes no reason in 23.01; keep it in the console.
  async destroyRoom(name: string, _reason: string): Promise<void> {
    const room = this.roomName(name);
    const service = this.muc();
    try {
      await this.expectZero("destroy_room", { name: room, service });
    } catch (error) {
      if (isCommandError(error, 400, /doesn't exist|does not exist|not found/i)) return;
      if (isCommandError(error, 400, UNKNOWN_SERVICE))
        throw new PermanentProvisioningError(`ejabberd does not serve the MUC domain ${service}`);
      throw error;
    }
  }

  // Room names (local parts) on the MUC service, persistent and temporary.
  async listRooms(): Promise<string[]> {
    const service = this.muc();
    const rooms = await this.api.call<string[]>("muc_online_rooms", { service });
    const suffix = `@${service}`;
    return rooms
      .filter((jid) => jid.endsWith(suffix))
      .map((jid) => jid.slice(0, -suffix.length))
      .sort();
  }

  async close(): Promise<void> {
    this.api.close();
  }

  // Creates the hidden suspension group once per adapter if srg_list lacks it. Never deletes it:
  // srg_delete drops the memberships (unsuspending everyone) and, while the ACL names the missing
  // group, every login fails.
  async ensureSuspendedGroup(): Promise<void> {
    if (!this.groupReady) {
      this.groupReady = (async () => {
        const groups = await this.api.call<string[]>("srg_list", { host: this.domain });
        if (groups.includes(this.suspendedGroup)) return;
        await this.expectZero("srg_create", {
          group: this.suspendedGroup,
          host: this.domain,
          label: "",
          description: "",
          display: "",
        });
      })();
      this.groupReady.catch(() => {
        this.groupReady = null;
      });
    }
    return this.groupReady;
  }

  // rescode commands: 0 = ok, 1 = failed (ejabberd says no more).
  private async expectZero(
    command: string,
    args: Record<string, unknown>,
    secrets: string[] = [],
  ): Promise<void> {
    const result = await this.api.call<unknown>(command, args, { secrets });
    if (result !== 0)
      throw new EjabberdApiError(
        command,
        200,
        null,
        `returned ${JSON.stringify(result)?.slice(0, 100)} instead of 0`,
      );
  }

  // Localparts arrive validated and normalized; refuse anything ejabberd would mangle or
  // misread (srg_user_add does not nodeprep; register accepts an empty user).
  private localpart(value: string): string {
    if (
      !value ||
      value !== normalizeName(value) ||
      /[\s"&'/:<>@\\]/u.test(value) ||
      value.length > 1023
    ) {
      throw new PermanentProvisioningError(`Not a normalized username: "${value.slice(0, 80)}"`);
    }
    return value;
  }

  private roomName(value: string): string {
    if (
      !value ||
      value !== normalizeName(value) ||
      /[\s"&'/:<>@\\]/u.test(value) ||
      value.length > 1023
    ) {
      throw new PermanentProvisioningError(`Not a normalized room name: "${value.slice(0, 80)}"`);
    }
    return value;
  }

  private muc(): string {
    if (this.mucDomain === null)
      throw new PermanentProvisioningError(`No MUC service is configured for ${this.domain}`);
    return this.mucDomain;
  }
}
