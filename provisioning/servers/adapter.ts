// One interface for every kind of backing XMPP server. Adapters are plain TypeScript
// (no Next.js imports) so the worker, scripts and tests can use them directly. Each kind's
// adapter lives in its folder (ejabberd/, prosody/) and is created through registry.ts.

import type { ServerKind } from "./registry";

export type { ServerKind };

export const CAPABILITIES = [
  "accounts.create",
  "accounts.delete",
  "accounts.password",
  "accounts.exists",
  "accounts.list",
  "accounts.suspend",
  "sessions.kick",
  "sessions.count",
  "roster.mutual",
  "rooms.create",
  "rooms.read",
  "rooms.affiliations",
  "rooms.destroy",
  "rooms.list",
] as const;
export type Capability = (typeof CAPABILITIES)[number];

export type Affiliation = "owner" | "admin" | "member" | "outcast" | "none";

export type RoomConfig = {
  title: string;
  description: string;
  persistent: boolean;
  membersOnly: boolean;
  // Listed in the service's room directory.
  public: boolean;
  archiving: boolean;
  maxUsers: number;
};

export type RoomState = {
  config: RoomConfig;
  // Bare JID → affiliation, as the server reports it (server admins may appear as owners).
  affiliations: Record<string, Affiliation>;
};

export type Health = { ok: boolean; version?: string; detail?: string };

// Thrown for answers a retry will not change (bad name, unknown host); the queue dead-letters them.
export class PermanentProvisioningError extends Error {
  readonly permanent = true;
  constructor(message: string) {
    super(message);
    this.name = "PermanentProvisioningError";
  }
}

// Localparts and room names given to an adapter are already validated and normalized
// (provisioning/names.ts); adapters still escape every value for their transport.
export interface XmppAdapter {
  readonly kind: ServerKind;
  readonly domain: string;
  readonly mucDomain: string | null;
  readonly capabilities: ReadonlySet<Capability>;

  health(): Promise<Health>;

  // "exists" when the account was already there (the caller decides whether it is ours).
  createAccount(localpart: string, password: string): Promise<"created" | "exists">;
  // Idempotent: deleting a missing account succeeds.
  deleteAccount(localpart: string): Promise<void>;
  setPassword(localpart: string, password: string): Promise<void>;
  checkPassword(localpart: string, password: string): Promise<boolean>;
  accountExists(localpart: string): Promise<boolean>;
  listAccounts(): Promise<string[]>;

  // Stops login and ends live sessions while keeping the password; idempotent both ways.
  suspend(localpart: string, reason: string): Promise<void>;
  unsuspend(localpart: string): Promise<void>;
  isSuspended(localpart: string): Promise<boolean>;

  kickSessions(localpart: string, reason: string): Promise<number>;
  // Never returns addresses: only how many sessions are online.
  countSessions(localpart: string): Promise<number>;

  // Puts each account in the other's roster with a mutual subscription.
  addMutualContact(
    a: { localpart: string; name: string },
    b: { localpart: string; name: string },
  ): Promise<void>;

  createRoom(name: string, config: RoomConfig): Promise<"created" | "exists">;
  // Applies a whole configuration to an existing room.
  configureRoom(name: string, config: RoomConfig): Promise<void>;
  readRoom(name: string): Promise<RoomState | null>;
  setAffiliation(room: string, jid: string, affiliation: Affiliation): Promise<void>;
  destroyRoom(name: string, reason: string): Promise<void>;
  listRooms(): Promise<string[]>;

  close(): Promise<void>;
}
