import { createExecutor } from "../../transport/for-server";
import type { CommandExecutor } from "../../transport/executor";
import type { ServerKindDefinition, ServerRecord } from "../kind";
import { ProsodyAdapter } from "./adapter";
import { ProsodyCompliance, type ProsodyComplianceOptions } from "./compliance";
import type { ProsodyIncludeOptions } from "./include";
import { ShellRunner } from "./shell";

// Prosody 0.12 and later, through `prosodyctl shell` on its machine (here or over SSH).

function configPath(server: ServerRecord): string {
  if (!server.prosodyConfigPath)
    throw new Error("This Prosody server has no configuration path; edit it under Servers.");
  return server.prosodyConfigPath;
}

function shell(server: ServerRecord, executor: CommandExecutor): ShellRunner {
  return new ShellRunner({
    executor,
    configPath: configPath(server),
    ...(server.prosodyctlCommand ? { prosodyctl: server.prosodyctlCommand } : {}),
  });
}

export const prosodyKind: ServerKindDefinition<
  "prosody",
  ProsodyIncludeOptions,
  ProsodyComplianceOptions
> = {
  name: "prosody",
  label: "Prosody",
  // Debian's prosody.cfg.lua logs info and higher there.
  defaultLogPath: "/var/log/prosody/prosody.log",
  // mod_cron runs mod_mam's and muc_mam's daily expiry tasks.
  expiresArchivesItself: true,
  features: {
    byFeature: {
      "XEP-0045": ["muc"],
      "XEP-0313": ["mam", "muc_mam"],
      "XEP-0280": ["carbons"],
      "XEP-0191": ["blocklist"],
      "XEP-0198": ["smacks"],
      "XEP-0352": ["csi", "csi_simple", "csi_battery_saver"],
      "XEP-0357": ["cloud_notify"],
      "XEP-0363": ["http_file_share", "http_upload"],
      "XEP-0384": ["pep"],
    },
    // Prosody names modules without the "mod_" prefix.
    normalize: (module) => module.replace(/^mod_/, ""),
  },

  // At 0 days archiving is off by default, but a user or room owner may opt in and the 1-day
  // backstop expiry applies (include.ts). Uploads expire after the policy's days.
  storageLimits: (policy) => ({
    messageDays: Math.max(policy.mamRetentionDays || 1, policy.mucRetentionDays || 1),
    uploadDays: policy.uploadExpiryDays,
  }),

  createAdapter(server, key) {
    const path = configPath(server);
    return new ProsodyAdapter({
      executor: createExecutor(server, key),
      configPath: path,
      domain: server.domain,
      mucDomain: server.mucDomain,
      ...(server.prosodyctlCommand ? { prosodyctl: server.prosodyctlCommand } : {}),
    });
  },

  compliance: (target) => new ProsodyCompliance(target),

  complianceForRecord(server, { executor, includePath }) {
    return new ProsodyCompliance({
      executor,
      includePath,
      renderOptions: { logPath: server.logPath ?? prosodyKind.defaultLogPath },
      options: { shell: shell(server, executor), host: server.domain, mucHost: server.mucDomain },
    });
  },
};
