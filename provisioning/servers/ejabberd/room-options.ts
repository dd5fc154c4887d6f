import type { Affiliation, RoomConfig } from "../adapter";

// RoomConfig ⇄ ejabberd 23.01 MUC room options (create_room_with_opts / get_room_options).
// All option values travel as strings; ejabberd accepts unknown names and bad values
// silently (an unknown option or members_only "maybe" → 200 0, stored as given), so only
// names and values built here are ever sent.

export type RoomOption = { name: string; value: string };

// ejabberd's mod_muc `max_users` default: larger room limits are silently lowered to it.
export const DEFAULT_SERVICE_MAX_USERS = 200;

export function roomConfigToOptions(config: RoomConfig): RoomOption[] {
  const bool = (value: boolean) => (value ? "true" : "false");
  return [
    { name: "title", value: config.title },
    { name: "description", value: config.description },
    { name: "persistent", value: bool(config.persistent) },
    { name: "members_only", value: bool(config.membersOnly) },
    // `public` = listed in the room directory. The occupant list is never public.
    { name: "public", value: bool(config.public) },
    { name: "public_list", value: "false" },
    { name: "mam", value: bool(config.archiving) },
    { name: "max_users", value: String(config.maxUsers) },
    // mod_muc_log HTML files: never.
    { name: "logging", value: "false" },
  ];
}

// get_room_options answers an object of strings in 23.01; older releases a list of {name,value}.
export function normalizeRoomOptions(raw: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(raw)) {
    for (const item of raw) {
      if (item && typeof item === "object" && "name" in item && "value" in item) {
        const { name, value } = item as { name: unknown; value: unknown };
        out[String(name)] = String(value);
      }
    }
  } else if (raw && typeof raw === "object") {
    for (const [name, value] of Object.entries(raw as Record<string, unknown>))
      out[name] = String(value);
  }
  return out;
}

export function roomOptionsToConfig(options: Record<string, string>): RoomConfig {
  const maxUsers = Number.parseInt(options.max_users ?? "", 10);
  return {
    title: options.title ?? "",
    description: options.description ?? "",
    persistent: options.persistent === "true",
    membersOnly: options.members_only === "true",
    public: options.public === "true",
    archiving: options.mam === "true",
    maxUsers: Number.isFinite(maxUsers) ? maxUsers : 0,
  };
}

const AFFILIATIONS: ReadonlySet<string> = new Set<Affiliation>([
  "owner",
  "admin",
  "member",
  "outcast",
  "none",
]);

export type RawAffiliation = { username?: unknown; domain?: unknown; affiliation?: unknown };

// get_room_affiliations → bare JID → affiliation ("" username = a domain JID).
export function parseAffiliations(raw: unknown): Record<string, Affiliation> {
  const out: Record<string, Affiliation> = {};
  if (!Array.isArray(raw)) return out;
  for (const item of raw as RawAffiliation[]) {
    const username = typeof item?.username === "string" ? item.username : "";
    const domain = typeof item?.domain === "string" ? item.domain : "";
    const affiliation = typeof item?.affiliation === "string" ? item.affiliation : "";
    if (!domain || !AFFILIATIONS.has(affiliation) || affiliation === "none") continue;
    out[username ? `${username}@${domain}` : domain] = affiliation as Affiliation;
  }
  return out;
}
