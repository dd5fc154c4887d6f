// Suspension on Prosody 13, which disables accounts itself: usermanager.disable_user marks the
// account record `disabled` and leaves the password alone, SASL then answers <account-disabled/>
// (so a stream cannot be resumed either), and mod_c2s closes every session of the account,
// hibernated ones included, with not-authorized "Account disabled". Unlike parking (lua.ts, for
// 0.12) nothing random replaces the password, so checking or changing it needs no detour.
// An account parked by 0.12 before the server was upgraded is restored by the unsuspension too.
// Same conventions as lua.ts (raw Lua, every value through luaString).

import { CREDENTIAL_STORES, luaString, restoreParked, userPrelude } from "./lua";

// Version and what the running server offers, in one call (JSON).
export function serverProfile(): string {
  return (
    `>local um = require"core.usermanager"; ` +
    `return true, require"util.json".encode({ version = prosody.version, ` +
    `disable = um.disable_user ~= nil, roles = um.create_user_with_role ~= nil })`
  );
}

// Prosody 13's create_user_with_role creates a disabled account first and sets the password after,
// so a password the server refuses (SASLprep) would leave a disabled account behind: the password
// is checked first, and a half-created account removed. Answers "User exists" like user:create.
export function createWithRole(localpart: string, host: string, password: string, role: string) {
  return (
    ">" +
    userPrelude(localpart, host) +
    `local pw = ${luaString(password)}; ` +
    `if not require"util.encodings".stringprep.saslprep(pw) then return nil, "Could not create user: password fails SASLprep" end; ` +
    `if um.user_exists(u, h) then return nil, "User exists" end; ` +
    `local ok, err = um.create_user_with_role(u, pw, h, ${luaString(role)}); ` +
    `if not ok then if um.user_exists(u, h) then um.delete_user(u, h) end; return nil, "Could not create user: " .. tostring(err) end; ` +
    `return true, "created"`
  );
}

export function disable(localpart: string, host: string): string {
  return (
    ">" +
    userPrelude(localpart, host) +
    `if not um.user_exists(u, h) then return nil, "No such user" end; ` +
    // Fires user-disabled every time, so sessions opened since an earlier call are closed too.
    `local ok, err = um.disable_user(u, h); ` +
    `if not ok then return nil, "Suspension needs an auth provider that can disable accounts: " .. tostring(err) end; ` +
    `return true, "disabled"`
  );
}

// Idempotent for an active account; a missing account fails.
export function enable(localpart: string, host: string): string {
  return (
    ">" +
    userPrelude(localpart, host) +
    CREDENTIAL_STORES +
    `local parked, perr = sus:get(u); if perr then return nil, tostring(perr) end; ` +
    `if not um.user_exists(u, h) then if parked then sus:set(u, nil) end; return nil, "No such user" end; ` +
    `if parked then ${restoreParked("parked")}end; ` +
    `if um.user_is_enabled(u, h) == false then local ok, err = um.enable_user(u, h); ` +
    `if not ok then return nil, "Could not enable the account: " .. tostring(err) end; return true, "enabled" end; ` +
    `return true, parked and "restored" or "active"`
  );
}
