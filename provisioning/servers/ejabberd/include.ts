// Renders the ONE include file Parley owns on an ejabberd server (never the operator's whole config).
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

import { validatePolicy, type MaxLogLevel, type Policy } from "../../compliance/policy";

export type EjabberdIncludeOptions = {
  // Parley writes the whole mod_mam block (the main config must not list mod_mam). Default true.
  manageMam?: boolean;
};

const EJABBERD_LEVEL: Record<MaxLogLevel, string> = {
  error: "error",
  warning: "warning",
  info: "info",
};

export function renderEjabberdInclude(
  policy: Policy,
  options: EjabberdIncludeOptions = {},
): string {
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
