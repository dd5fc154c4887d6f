import { open } from "@/core/secrets";
import type { ComplianceRecord, ServerKindDefinition, ServerRecord } from "../kind";
import { EjabberdAdapter } from "./adapter";
import { EjabberdCompliance, type EjabberdComplianceOptions } from "./compliance";
import { EjabberdApi } from "./http-api";
import type { EjabberdIncludeOptions } from "./include";

// ejabberd 23.01 and later, through mod_http_api with an OAuth token.

function credentials(server: ServerRecord, key: Buffer): { apiUrl: string; token: string } {
  if (!server.apiUrl || !server.apiTokenEnc)
    throw new Error("This ejabberd server has no API URL or token; edit it under Servers.");
  return { apiUrl: server.apiUrl, token: open(server.apiTokenEnc, key) };
}

export const ejabberdKind: ServerKindDefinition<
  "ejabberd",
  EjabberdIncludeOptions,
  EjabberdComplianceOptions
> = {
  name: "ejabberd",
  label: "ejabberd",
  // Debian's package (ejabberdctl sets EJABBERD_LOG_PATH there).
  defaultLogPath: "/var/log/ejabberd/ejabberd.log",
  // ejabberd 23.01 has no TTL option and no mod_cron for archives: Parley purges them daily.
  expiresArchivesItself: false,
  features: {
    byFeature: {
      "XEP-0045": ["mod_muc"],
      "XEP-0313": ["mod_mam"],
      "XEP-0280": ["mod_carboncopy"],
      "XEP-0191": ["mod_blocking"],
      "XEP-0198": ["mod_stream_mgmt"],
      "XEP-0352": ["mod_client_state"],
      "XEP-0357": ["mod_push"],
      "XEP-0363": ["mod_http_upload"],
      "XEP-0384": ["mod_pubsub", "mod_pep"],
    },
  },

  // At 0 days mod_mam archives nothing (include.ts) and rooms are purged daily of everything;
  // otherwise the daily purge keeps the policy's days. Parley does not set upload expiry here.
  storageLimits: (policy) => ({
    messageDays: Math.max(policy.mamRetentionDays, policy.mucRetentionDays),
    uploadDays: null,
  }),

  createAdapter(server, key) {
    return new EjabberdAdapter({
      ...credentials(server, key),
      domain: server.domain,
      mucDomain: server.mucDomain,
    });
  },

  compliance: (target) => new EjabberdCompliance(target),

  complianceForRecord(server: ComplianceRecord, { executor, includePath, key }) {
    return new EjabberdCompliance({
      executor,
      includePath,
      options: {
        api: new EjabberdApi(credentials(server, key)),
        host: server.domain,
        mainConfigPath: server.mainConfigPath,
        lastPurgeAt: server.lastPurgeAt,
      },
    });
  },
};
