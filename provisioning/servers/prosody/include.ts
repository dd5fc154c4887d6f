// Renders the ONE include file Parley owns on a Prosody server (never the operator's whole config).
//
// Prosody 0.12, `Include "<includePath>"` in the main prosody.cfg.lua — observed:
//  * The included file runs in place, like text pasted at that line: later assignments win,
//    host sections override the global one. Put the Include in the global section AFTER the
//    operator's own global settings and BEFORE the first VirtualHost/Component, and don't set
//    the same keys per host (config:get(host, key) would return the host's value: verify reports it).
//  * The config environment cannot read earlier values (modules_disabled read back is nil), so
//    "extending" modules_disabled means repeating the operator's base list (option
//    baseModulesDisabled) plus the forbidden modules.
//  * A missing or unparsable include breaks the whole config, also for prosodyctl itself
//    (every `prosodyctl shell` call fails until the file is fixed), so enforce restores the
//    backup before reloading again.
//  * config:reload() re-applies `log` immediately (no restart); archive_expires_after and
//    muc_log_expires_after need module:reload('mam'|'muc_mam', host); modules_disabled is NOT
//    applied on reload (module:unload is needed) — see prosodyReloader in compliance.ts.
//  * Durations: "Nd", "Nw", "Nm", "Ny"; a bare number means seconds; "never" disables expiry.

import {
  bareModuleName,
  validatePolicy,
  type MaxLogLevel,
  type Policy,
} from "../../compliance/policy";
import { luaString } from "./lua";

export type ProsodyIncludeOptions = {
  // The server's log file (Server.logPath); Parley's `log` setting writes there.
  logPath: string;
  // The operator's own modules_disabled (kept, since the include replaces the list). Default none.
  baseModulesDisabled?: string[];
  // Overrides archive_expires_after / muc_log_expires_after verbatim (Prosody duration syntax:
  // "5" = seconds, "2w"); for tests that need retention in seconds.
  archiveExpiresAfter?: string;
  mucLogExpiresAfter?: string;
};

const PROSODY_LEVEL: Record<MaxLogLevel, string> = {
  error: "error",
  warning: "warn",
  info: "info",
};

function prosodyDuration(days: number): string {
  return `${days}d`;
}

export function renderProsodyInclude(policy: Policy, options: ProsodyIncludeOptions): string {
  validatePolicy(policy);
  const disabled = [
    ...new Set(
      [...(options.baseModulesDisabled ?? []), ...policy.forbiddenModules].map(bareModuleName),
    ),
  ];
  const archive = policy.mamRetentionDays > 0;
  const mucArchive = policy.mucRetentionDays > 0;
  const lines = [
    `-- Managed by Parley (privacy policy ${luaString(policy.name)}). Do not edit: it is overwritten.`,
    "-- Included from the global section of prosody.cfg.lua, before the first VirtualHost.",
    // 0 days = not archived by default. Users can still opt in through XEP-0313 prefs; a policy that
    // must forbid archiving entirely lists "mam" in forbiddenModules. The short expiry is a backstop.
    `default_archive_policy = ${archive ? "true" : "false"}`,
    `archive_expires_after = ${luaString(options.archiveExpiresAfter ?? prosodyDuration(archive ? policy.mamRetentionDays : 1))}`,
    `muc_log_by_default = ${mucArchive ? "true" : "false"}`,
    `muc_log_expires_after = ${luaString(options.mucLogExpiresAfter ?? prosodyDuration(mucArchive ? policy.mucRetentionDays : 1))}`,
    `http_file_share_expires_after = ${Math.max(policy.uploadExpiryDays, 0) * 86_400}`,
    `log = { { levels = { min = ${luaString(PROSODY_LEVEL[policy.maxLogLevel])} }, to = "file", filename = ${luaString(options.logPath)} } }`,
    `modules_disabled = { ${disabled.map(luaString).join("; ")} }`,
  ];
  return lines.join("\n") + "\n";
}

// For callers whose options may be missing (the log path has no sensible guess at this level).
export function renderProsodyIncludeWith(
  policy: Policy,
  options: ProsodyIncludeOptions | undefined,
): string {
  if (!options) throw new Error("Rendering a Prosody include needs the server's log path");
  return renderProsodyInclude(policy, options);
}
