// Renders the ONE include file Parley owns per server (never the operator's whole config).
//
// ejabberd 23.01, `include_config_file: [<includePath>]` in the main ejabberd.yml — observed:
//  * A top-level option present in BOTH files is an error: reload_config → 400
//    "Configuration error: Duplicated option: hide_sensitive_log_data", the reload is aborted and
//    the running config stays as it was. Options are NOT overridden, so the main file must not set
//    hide_sensitive_log_data or loglevel (Parley owns them here).
//  * `modules:` (and `acl:`) maps are merged key by key, but a module named in both files is again
//    an error ("Invalid value of option modules: Duplicated option: mod_mam"). So module options
//    can only come from here for modules the main file does not list at all. Parley therefore
//    writes the whole mod_mam block (option manageMam, default true: the main file must not list
//    mod_mam) and does NOT write mod_muc: a partial mod_muc (only default_room_options) would
//    either clash with the operator's block or replace it without host/access settings. Room
//    archiving is a per-room option (mam) set by the provisioning code instead.
//  * Modules cannot be removed through an include; forbidden modules are only verified.
//  * hide_sensitive_log_data, loglevel ("Changing loglevel from 'info' to 'warning'") and mod_mam
//    options take effect on reload_config, no restart. Empty include file: accepted.
//    Broken YAML / unknown option: reload_config → 400 with the parse error, nothing applied.
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
//    applied on reload (module:unload is needed) — see enforce.ts.

import { createHash } from "node:crypto";
import { luaString } from "../servers/prosody/lua";
import { bareModuleName, validatePolicy, type MaxLogLevel, type Policy } from "./policy";

export type ServerKind = "ejabberd" | "prosody";

export type EjabberdIncludeOptions = {
  // Parley writes the whole mod_mam block (the main config must not list mod_mam). Default true.
  manageMam?: boolean;
};

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

export type RenderOptions = { ejabberd?: EjabberdIncludeOptions; prosody?: ProsodyIncludeOptions };

const EJABBERD_LEVEL: Record<MaxLogLevel, string> = { error: "error", warning: "warning", info: "info" };
const PROSODY_LEVEL: Record<MaxLogLevel, string> = { error: "error", warning: "warn", info: "info" };

export function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

export function renderEjabberdInclude(policy: Policy, options: EjabberdIncludeOptions = {}): string {
  validatePolicy(policy);
  const hide = policy.noPasswordLogging || policy.noIpLogging;
  const lines = [
    `# Managed by Parley (privacy policy ${JSON.stringify(policy.name)}). Do not edit: it is overwritten.`,
    "# Included from the main ejabberd.yml; the main file must not set these options itself.",
    `hide_sensitive_log_data: ${hide}`,
    `loglevel: ${EJABBERD_LEVEL[policy.maxLogLevel]}`,
  ];
  if (options.manageMam ?? true) {
    lines.push(
      "modules:",
      "  mod_mam:",
      // 0 days = nothing archived; otherwise archive everything and let Parley's purge expire it.
      `    default: ${policy.mamRetentionDays > 0 ? "always" : "never"}`,
      "    access_preferences: none",
      "    assume_mam_usage: true",
      "    clear_archive_on_room_destroy: true",
    );
  }
  return lines.join("\n") + "\n";
}

function prosodyDuration(days: number): string {
  return `${days}d`;
}

export function renderProsodyInclude(policy: Policy, options: ProsodyIncludeOptions): string {
  validatePolicy(policy);
  const disabled = [...new Set([...(options.baseModulesDisabled ?? []), ...policy.forbiddenModules].map(bareModuleName))];
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

export function renderInclude(kind: ServerKind, policy: Policy, options: RenderOptions = {}): string {
  if (kind === "ejabberd") return renderEjabberdInclude(policy, options.ejabberd);
  if (!options.prosody) throw new Error("Rendering a Prosody include needs the server's log path");
  return renderProsodyInclude(policy, options.prosody);
}
