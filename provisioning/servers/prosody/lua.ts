// Every admin-shell command the Prosody adapter sends, as named builders. Each returns the
// text for `prosodyctl shell "<command>"` (or the admin socket). Anything that is not a
// constant of ours goes through luaString() (every byte outside [A-Za-z0-9@._-] becomes a
// decimal escape \ddd), so no value can end the string literal, whatever quotes, brackets,
// backslashes, newlines or bytes it holds.
//
// Raw-Lua builders (prefix ">") end with `return true, <text>` (shell prints "OK: <text>")
// or `return nil, <message>` (shell prints "Error: <message>", prosodyctl exits 1). Results
// that carry data are JSON from util.json, on one line.

// Where a suspended account's credentials record is parked on the server (Prosody 0.12 has no
// user:disable; 13.x does), so the original password works again after unsuspension.
export const SUSPENDED_STORE = "accounts_suspended";

const SAFE_BYTE = /[A-Za-z0-9@._-]/;

// A Lua string literal for any text: safe ASCII stays, every other UTF-8 byte becomes \ddd.
export function luaString(value: string): string {
  let out = '"';
  for (const byte of Buffer.from(value, "utf8")) {
    const char = String.fromCharCode(byte);
    out += SAFE_BYTE.test(char) ? char : "\\" + String(byte).padStart(3, "0");
  }
  return out + '"';
}

const L = luaString;

type LuaValue = string | number | boolean;

// A Lua table constructor from a flat record; keys must be plain identifiers (ours, not user input).
export function luaTable(fields: Record<string, LuaValue | undefined>): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(fields)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new Error(`Not a Lua identifier: ${key}`);
    if (value === undefined) continue;
    if (typeof value === "string") parts.push(`${key} = ${L(value)}`);
    else if (typeof value === "number") {
      if (!Number.isFinite(value)) throw new Error(`Not a finite number for ${key}`);
      parts.push(`${key} = ${String(value)}`);
    } else parts.push(`${key} = ${value ? "true" : "false"}`);
  }
  return `{ ${parts.join("; ")} }`;
}

// ---------------------------------------------------------------- shell commands

export function serverVersion(): string {
  return "server:version()";
}

export function userCreate(jid: string, password: string): string {
  return `user:create(${L(jid)}, ${L(password)})`;
}

export function userDelete(jid: string): string {
  return `user:delete(${L(jid)})`;
}

export function userList(host: string): string {
  return `user:list(${L(host)})`;
}

// ---------------------------------------------------------------- raw Lua (">")

// Resolves host `h` and the nodeprepped username `u` as Prosody itself would, or fails.
export function userPrelude(localpart: string, host: string, name = "u"): string {
  return (
    `local um, sm, cm = require"core.usermanager", require"core.storagemanager", require"core.configmanager"; ` +
    `local h = ${L(host)}; if not prosody.hosts[h] then return nil, "No such host: " .. h end; ` +
    `local ${name} = require"util.encodings".stringprep.nodeprep(${L(localpart)}); ` +
    `if not ${name} or ${name} == "" then return nil, "Invalid username" end; `
  );
}

// Parking only makes sense for internal_hashed records (a SCRAM verifier in the accounts store).
const REQUIRE_INTERNAL_HASHED =
  `if rawget(prosody.hosts[h].users, "name") ~= "internal_hashed" then ` +
  `return nil, "Suspension needs authentication = internal_hashed on " .. h end; `;

// SCRAM hasher for the host (same choice as mod_auth_internal_hashed).
const HASHER =
  `local hasher = require"util.sasl.scram".hashers[cm.get(h, "password_hash") or "SHA-1"]; ` +
  `if not hasher then return nil, "Unsupported password_hash" end; `;

export function accountExists(localpart: string, host: string): string {
  return ">" + userPrelude(localpart, host) + `return true, um.user_exists(u, h) and "yes" or "no"`;
}

// While suspended on 0.12 the live record holds a random password, so the parked one is checked;
// an account disabled by Prosody 13 keeps its record, which test_password refuses to check.
export function checkPassword(localpart: string, host: string, password: string): string {
  return (
    ">" +
    userPrelude(localpart, host) +
    `local pw = ${L(password)}; ` +
    `local rec, err = sm.open(h, "${SUSPENDED_STORE}"):get(u); if err then return nil, tostring(err) end; ` +
    `if not rec then local live = sm.open(h, "accounts"):get(u); if type(live) == "table" and live.disabled then rec = live end end; ` +
    `if rec then ` +
    HASHER +
    `if not rec.salt or not rec.iteration_count then return true, "no" end; ` +
    `local ok, sk, svk = hasher(pw, rec.salt, rec.iteration_count); if not ok then return true, "no" end; ` +
    `local hex, eq = require"util.hex", require"util.hashes".equals; ` +
    `return true, (eq(hex.encode(sk), rec.stored_key or "") and eq(hex.encode(svk), rec.server_key or "")) and "yes" or "no" end; ` +
    `return true, um.test_password(u, h, pw) and "yes" or "no"`
  );
}

// Changes the password; while suspended, re-hashes the parked record and leaves the live
// (random) one alone, so the new password is what works after unsuspension.
export function setPassword(localpart: string, host: string, password: string): string {
  return (
    ">" +
    userPrelude(localpart, host) +
    `local pw = ${L(password)}; local sus = sm.open(h, "${SUSPENDED_STORE}"); ` +
    `local rec, err = sus:get(u); if err then return nil, tostring(err) end; ` +
    `if not um.user_exists(u, h) then return nil, "No such user" end; ` +
    `if rec then ` +
    REQUIRE_INTERNAL_HASHED +
    HASHER +
    `local salt = require"util.uuid".generate(); ` +
    `local iter = math.max(rec.iteration_count or 0, cm.get(h, "default_iteration_count") or 10000); ` +
    `local ok, sk, svk = hasher(pw, salt, iter); if not ok then return nil, "Could not change password: " .. tostring(sk) end; ` +
    `local hex = require"util.hex"; ` +
    `rec.salt, rec.iteration_count, rec.stored_key, rec.server_key, rec.password = salt, iter, hex.encode(sk), hex.encode(svk), nil; ` +
    `local saved, serr = sus:set(u, rec); if not saved then return nil, "Could not save: " .. tostring(serr) end; ` +
    `return true, "changed-parked" end; ` +
    `local ok, perr = um.set_password(u, pw, h, nil); if not ok then return nil, "Could not change password: " .. tostring(perr) end; ` +
    `return true, "changed"`
  );
}

// Drops a parked record (after user:delete, which purges it anyway on internal storage).
export function dropParked(localpart: string, host: string): string {
  return (
    ">" +
    userPrelude(localpart, host) +
    `local ok, err = sm.open(h, "${SUSPENDED_STORE}"):set(u, nil); if not ok and err then return nil, tostring(err) end; ` +
    `return true, "dropped"`
  );
}

// Parked (0.12), or disabled by Prosody 13's own account disabling.
export function isSuspended(localpart: string, host: string): string {
  return (
    ">" +
    userPrelude(localpart, host) +
    `local rec, err = sm.open(h, "${SUSPENDED_STORE}"):get(u); if err then return nil, tostring(err) end; ` +
    `local disabled = um.user_is_enabled ~= nil and um.user_is_enabled(u, h) == false; ` +
    `return true, (rec ~= nil or disabled) and "yes" or "no"`
  );
}

// Closes every session of u on h (hibernated ones included) with a stream error; counts them.
// Never touches session.ip.
function closeSessions(condition: string, text: string): string {
  return (
    `local function close_all() local us = prosody.hosts[h].sessions[u]; local list = {}; ` +
    `if us and us.sessions then for _, s in pairs(us.sessions) do list[#list + 1] = s end end; ` +
    `for _, s in ipairs(list) do s:close({ condition = ${L(condition)}, text = ${L(text)} }) end; return #list end; `
  );
}

// Park the credentials record, end live sessions, then set a random password (set_password
// also closes every session of the user, hibernated ones included).
// Idempotent: an already parked account only gets its sessions closed again.
export function suspend(localpart: string, host: string): string {
  return (
    ">" +
    userPrelude(localpart, host) +
    REQUIRE_INTERNAL_HASHED +
    closeSessions("not-authorized", "Account suspended") +
    `if not um.user_exists(u, h) then return nil, "No such user" end; ` +
    `local acc, sus = sm.open(h, "accounts"), sm.open(h, "${SUSPENDED_STORE}"); ` +
    `local parked, perr = sus:get(u); if perr then return nil, tostring(perr) end; ` +
    `local rec, rerr = acc:get(u); if not rec then return nil, rerr and tostring(rerr) or "No such user" end; ` +
    // Already parked: close sessions again; if a restore wrote the record back but could not
    // drop the parked copy, the live record is the parked one, so lock it again.
    `if parked then local n = close_all(); if rec.stored_key == parked.stored_key then ` +
    `local set, serr = um.set_password(u, require"util.id".long(), h, nil); if not set then return nil, "Could not lock the account: " .. tostring(serr) end end; ` +
    `return true, "already:" .. n end; ` +
    `local ok, err = sus:set(u, rec); if not ok then return nil, "Could not park credentials: " .. tostring(err) end; ` +
    `local closed = close_all(); ` +
    `local set, serr = um.set_password(u, require"util.id".long(), h, nil); ` +
    `if not set then sus:set(u, nil); return nil, "Could not lock the account: " .. tostring(serr) end; ` +
    `return true, "suspended:" .. closed`
  );
}

// The live and the parked credential stores of host h, as `acc` and `sus`.
export const CREDENTIAL_STORES = `local acc, sus = sm.open(h, "accounts"), sm.open(h, "${SUSPENDED_STORE}"); `;

// Writes the parked record held in `rec` back over the live one, then drops the parked copy.
export function restoreParked(rec: string): string {
  return (
    `local ok, aerr = acc:set(u, ${rec}); if not ok then return nil, "Could not restore credentials: " .. tostring(aerr) end; ` +
    `local dropped, derr = sus:set(u, nil); if not dropped then return nil, "Could not drop the parked record: " .. tostring(derr) end; `
  );
}

// Writes the parked record back. Idempotent for an active account; a missing account fails.
export function unsuspend(localpart: string, host: string): string {
  return (
    ">" +
    userPrelude(localpart, host) +
    CREDENTIAL_STORES +
    `local rec, err = sus:get(u); if err then return nil, tostring(err) end; ` +
    `if not rec then if um.user_exists(u, h) then return true, "active" end; return nil, "No such user" end; ` +
    `if not acc:get(u) then sus:set(u, nil); return nil, "No such user" end; ` +
    restoreParked("rec") +
    `return true, "restored"`
  );
}

export function countSessions(localpart: string, host: string): string {
  return (
    ">" +
    userPrelude(localpart, host) +
    `local us = prosody.hosts[h].sessions[u]; local n = 0; ` +
    `if us and us.sessions then for _ in pairs(us.sessions) do n = n + 1 end end; ` +
    `return true, tostring(n)`
  );
}

export function kickSessions(localpart: string, host: string, reason: string): string {
  return (
    ">" +
    userPrelude(localpart, host) +
    closeSessions("policy-violation", reason) +
    `return true, tostring(close_all())`
  );
}

// Both rosters get the other with subscription "both" (no pending state) and are saved;
// online clients get a roster push.
export function addMutualContact(
  a: { localpart: string; name: string },
  b: { localpart: string; name: string },
  host: string,
): string {
  return (
    ">" +
    userPrelude(a.localpart, host, "ua") +
    `local ub = require"util.encodings".stringprep.nodeprep(${L(b.localpart)}); if not ub or ub == "" then return nil, "Invalid username" end; ` +
    `if ua == ub then return nil, "Cannot add an account to its own roster" end; ` +
    `if not um.user_exists(ua, h) then return nil, "No such user: " .. ua end; ` +
    `if not um.user_exists(ub, h) then return nil, "No such user: " .. ub end; ` +
    `local rm = require"core.rostermanager"; ` +
    `local function link(user, contact, name) ` +
    `local roster, lerr = rm.load_roster(user, h); if not roster then return nil, tostring(lerr) end; ` +
    `local item = roster[contact] or { groups = {} }; item.subscription = "both"; item.ask = nil; ` +
    `item.name = name ~= "" and name or nil; item.groups = item.groups or {}; roster[contact] = item; ` +
    `local meta = roster[false]; if meta and meta.pending then meta.pending[contact] = nil end; ` +
    `local ok, serr = rm.save_roster(user, h, roster, contact); if not ok then return nil, serr or "could not save the roster" end; ` +
    `rm.roster_push(user, h, contact); return true end; ` +
    `local ja, jb = ua .. "@" .. h, ub .. "@" .. h; ` +
    `local ok, err = link(ua, jb, ${L(b.name)}); if not ok then return nil, "Roster of " .. ua .. ": " .. tostring(err) end; ` +
    `ok, err = link(ub, ja, ${L(a.name)}); if not ok then return nil, "Roster of " .. ub .. ": " .. tostring(err) end; ` +
    `return true, "linked"`
  );
}

// For tests and diagnostics: a user's roster item for `contact` as JSON ("null" if absent).
export function rosterItem(localpart: string, host: string, contactJid: string): string {
  return (
    ">" +
    userPrelude(localpart, host) +
    `local roster = require"core.rostermanager".load_roster(u, h); local item = roster and roster[${L(contactJid)}]; ` +
    `if not item then return true, "null" end; ` +
    `return true, require"util.json".encode({ subscription = item.subscription, name = item.name or "", ask = item.ask or "" })`
  );
}

// ---------------------------------------------------------------- rooms

function mucPrelude(mucHost: string): string {
  return (
    `local mh = ${L(mucHost)}; local muc = prosody.hosts[mh] and prosody.hosts[mh].modules.muc; ` +
    `if not muc then return nil, "Not a MUC service: " .. mh end; `
  );
}

function roomPrelude(room: string, mucHost: string): string {
  return (
    mucPrelude(mucHost) +
    `local node = require"util.encodings".stringprep.nodeprep(${L(room)}); ` +
    `if not node or node == "" then return nil, "Invalid room name" end; local rj = node .. "@" .. mh; `
  );
}

const LIVE_ROOM = `local room = muc.get_room_from_jid(rj); if room and room._data.destroyed then room = nil end; `;

// The room's raw _data (server defaults are skipped when a table is given to muc:create),
// created and stored in one step so a half-created room cannot be left behind.
export type RoomData = {
  name: string;
  description: string;
  persistent: boolean;
  members_only: boolean;
  hidden: boolean;
  archiving: boolean;
  whois: "moderators" | "anyone";
  moderated: boolean;
  allow_member_invites: boolean;
  changesubject: boolean;
  // Not enforced by Prosody 0.12 (no per-room occupant limit in core); kept for read-back.
  parley_max_users: number;
};

export function roomCreate(room: string, mucHost: string, data: RoomData): string {
  return (
    ">" +
    roomPrelude(room, mucHost) +
    `if muc.get_room_from_jid(rj) then return true, "exists" end; ` +
    `local r, err = muc.create_room(rj, ${luaTable(data)}); if not r then return nil, "Could not create room: " .. tostring(err) end; ` +
    `local saved, serr = r:save(true); if not saved then r:destroy(); return nil, "Could not save room: " .. tostring(serr) end; ` +
    `return true, "created"`
  );
}

// Overwrites the given _data fields of a live room and stores it.
export function roomConfigure(room: string, mucHost: string, data: RoomData): string {
  return (
    ">" +
    roomPrelude(room, mucHost) +
    LIVE_ROOM +
    `if not room then return nil, "No such room: " .. rj end; ` +
    `for k, v in pairs(${luaTable(data)}) do room._data[k] = v end; ` +
    `local saved, serr = room:save(true); if not saved then return nil, "Could not save room: " .. tostring(serr) end; ` +
    `return true, "configured"`
  );
}

// JSON { title, description, persistent, members_only, public, archiving, max_users, affiliations } or "null".
export function roomRead(room: string, mucHost: string): string {
  return (
    ">" +
    roomPrelude(room, mucHost) +
    LIVE_ROOM +
    `if not room then return true, "null" end; local cm = require"core.configmanager"; ` +
    `local arch = room._data.archiving; if arch == nil then arch = cm.get(mh, "muc_log_by_default") ~= false end; ` +
    `if cm.get(mh, "muc_log_all_rooms") then arch = true end; ` +
    `if not prosody.hosts[mh].modules.muc_mam then arch = false end; ` +
    `local affs = {}; for j, a in room:each_affiliation() do affs[j] = a end; ` +
    `return true, require"util.json".encode({ title = room:get_name() or "", description = room:get_description() or "", ` +
    `persistent = room:get_persistent() and true or false, members_only = room:get_members_only() and true or false, ` +
    `public = room:get_public() and true or false, archiving = arch and true or false, ` +
    `max_users = tonumber(room._data.parley_max_users) or 0, affiliations = affs })`
  );
}

export function roomSetAffiliation(
  room: string,
  mucHost: string,
  jid: string,
  affiliation: string,
): string {
  return (
    ">" +
    roomPrelude(room, mucHost) +
    LIVE_ROOM +
    `if not room then return nil, "No such room: " .. rj end; ` +
    `local target = require"util.jid".prep(${L(jid)}); if not target then return nil, "Invalid JID" end; ` +
    `local ok, etype, econd = room:set_affiliation(true, target, ${L(affiliation)}); ` +
    `if not ok then return nil, "Could not set affiliation: " .. tostring(etype) .. "/" .. tostring(econd) end; ` +
    `local saved, serr = room:save(true); if not saved then return nil, "Could not save room: " .. tostring(serr) end; ` +
    `return true, "set"`
  );
}

// Idempotent: a missing room is fine.
export function roomDestroy(room: string, mucHost: string, reason: string): string {
  return (
    ">" +
    roomPrelude(room, mucHost) +
    LIVE_ROOM +
    `if not room then return true, "absent" end; room:destroy(nil, ${L(reason)}); return true, "destroyed"`
  );
}

// JSON array of room localparts (tombstones skipped).
export function roomList(mucHost: string): string {
  return (
    ">" +
    mucPrelude(mucHost) +
    `local out = {}; for room in muc.all_rooms() do if not room._data.destroyed then ` +
    `out[#out + 1] = require"util.jid".split(room.jid) end end; table.sort(out); ` +
    `return true, require"util.json".encode_array(out)`
  );
}
