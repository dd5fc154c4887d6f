// Privacy-policy support for ejabberd 23.01 (ServerCompliance):
//   reload        reload_config applies hide_sensitive_log_data, loglevel and mod_mam options.
//   configuration (if mainConfigPath is given) the main config names the include file in
//                 include_config_file.
//   retention     ejabberd cannot expire archives by itself: passed when Parley's purge ran within
//                 the last 26 h (lastPurgeAt), unknown when not told, failed when older.
//   modules       ejabberd 23.01 has no API command listing loaded modules: the `modules:` keys of
//                 the main config and the include file (unknown without mainConfigPath).
//   TLS           every ejabberd_c2s listener of the main config has starttls_required: true or
//                 tls: true; unknown without mainConfigPath.

import { modulesUndetermined, tlsUndiscoverable, type Check } from "../../compliance/checks";
import type { Policy } from "../../compliance/policy";
import type { CommandExecutor } from "../../transport/executor";
import { readRemoteFile } from "../../transport/remote-file";
import type { Retention, ServerCompliance, VerifyContext } from "../kind";
import { ejabberdC2sRequiresTls, ejabberdModulesInYaml } from "./config-yaml";
import type { EjabberdApi } from "./http-api";
import { renderEjabberdInclude, type EjabberdIncludeOptions } from "./include";
import { purgeArchives } from "./purge";

export type EjabberdComplianceOptions = {
  // mod_http_api: reload_config and the archive purge go through it.
  api?: EjabberdApi;
  // The vhost whose archives the purge expires.
  host?: string;
  // The main ejabberd.yml on the server's machine, read only (modules and TLS).
  mainConfigPath?: string | null;
  // When Parley's purge last ran.
  lastPurgeAt?: Date | null;
};

export function ejabberdReloader(api: EjabberdApi): () => Promise<void> {
  return async () => {
    const result = await api.call<unknown>("reload_config", {});
    if (result !== 0) throw new Error(`reload_config answered ${JSON.stringify(result)}`);
  };
}

// The main configuration as read by runningConfig (null: not configured or unreadable).
type Running = { mainConfig: string | null };

export class EjabberdCompliance implements ServerCompliance<Running> {
  constructor(
    private readonly target: {
      executor: CommandExecutor;
      includePath: string;
      renderOptions?: EjabberdIncludeOptions;
      options?: EjabberdComplianceOptions;
    },
  ) {}

  private get options(): EjabberdComplianceOptions {
    return this.target.options ?? {};
  }

  renderInclude(policy: Policy): string {
    return renderEjabberdInclude(policy, this.target.renderOptions);
  }

  async reload(): Promise<void> {
    if (!this.options.api) throw new Error("Reloading ejabberd needs its HTTP API.");
    await ejabberdReloader(this.options.api)();
  }

  async runningConfig(): Promise<{ mismatches: Check["evidence"]; state: Running }> {
    const path = this.options.mainConfigPath;
    if (!path) return { mismatches: [], state: { mainConfig: null } };
    let mainConfig: string | null = null;
    try {
      mainConfig = await readRemoteFile(this.target.executor, path);
    } catch {
      /* reported as unknown by the checks that need it */
    }
    const mismatches =
      mainConfig !== null && !mainConfig.includes(this.target.includePath)
        ? [
            {
              kind: "config",
              detail:
                "The main ejabberd.yml does not name the include file in include_config_file.",
            },
          ]
        : [];
    return { mismatches, state: { mainConfig } };
  }

  async retentionInForce(ctx: VerifyContext<Running>): Promise<Check> {
    const last = this.options.lastPurgeAt ?? null;
    if (!last)
      return {
        name: "retention in force",
        passed: null,
        summary:
          "ejabberd 23.01 does not expire archives itself and no purge by Parley is recorded.",
        evidence: [],
      };
    const hours = (ctx.now.getTime() - last.getTime()) / 3_600_000;
    const passed = hours <= 26;
    return {
      name: "retention in force",
      passed,
      summary: passed
        ? `Parley purged archives older than the policy ${hours.toFixed(1)} h ago.`
        : `The last purge was ${hours.toFixed(0)} h ago (more than a day).`,
      evidence: passed ? [] : [{ kind: "purge", detail: `last purge ${last.toISOString()}` }],
    };
  }

  async forbiddenModulesAbsent(forbidden: string[], ctx: VerifyContext<Running>): Promise<Check> {
    const mainConfig = ctx.running?.mainConfig ?? null;
    if (mainConfig === null) return modulesUndetermined();
    const configured = new Set([
      ...ejabberdModulesInYaml(mainConfig),
      ...(ctx.includeOnDisk ? ejabberdModulesInYaml(ctx.includeOnDisk) : []),
    ]);
    const found = forbidden
      .filter((m) => configured.has(`mod_${m}`))
      .map((m) => ({ kind: "module", detail: `mod_${m} is configured` }));
    return {
      name: "forbidden modules absent",
      passed: found.length === 0,
      summary:
        found.length === 0
          ? "No forbidden module is configured (ejabberd has no API to list loaded modules; read from the config files)."
          : `${found.length} forbidden module(s) configured.`,
      evidence: found,
    };
  }

  async tlsRequired(ctx: VerifyContext<Running>): Promise<Check> {
    const mainConfig = ctx.running?.mainConfig ?? null;
    if (mainConfig === null) return tlsUndiscoverable();
    const tls = ejabberdC2sRequiresTls(mainConfig);
    return tls === null
      ? {
          name: "TLS required for clients",
          passed: null,
          summary: "No ejabberd_c2s listener found in the main configuration.",
          evidence: [],
        }
      : {
          name: "TLS required for clients",
          passed: tls.requiring === tls.listeners,
          summary: `${tls.requiring} of ${tls.listeners} c2s listener(s) require TLS (starttls_required or tls).`,
          evidence:
            tls.requiring === tls.listeners
              ? []
              : [
                  {
                    kind: "config",
                    detail: "an ejabberd_c2s listener lacks starttls_required: true",
                  },
                ],
        };
  }

  // The modules configured in the main config and the include file (there is no API for loaded ones).
  async loadedModules(): Promise<string[] | null> {
    try {
      const paths = [this.options.mainConfigPath, this.target.includePath].filter(
        (p): p is string => Boolean(p),
      );
      const texts = await Promise.all(paths.map((p) => readRemoteFile(this.target.executor, p)));
      return texts.flatMap((t) => (t ? ejabberdModulesInYaml(t) : []));
    } catch {
      return null;
    }
  }

  // One-to-one chats and room archives each with their own retention; offline storage with the chat one.
  async purgeArchives(retention: Retention) {
    const { api, host } = this.options;
    if (!api || !host)
      throw new Error("Purging ejabberd's archives needs its HTTP API and the vhost.");
    return {
      chat: await purgeArchives({ api, host, days: retention.mamRetentionDays, type: "chat" }),
      groupchat: await purgeArchives({
        api,
        host,
        days: retention.mucRetentionDays,
        type: "groupchat",
        offline: false,
      }),
    };
  }

  async close(): Promise<void> {
    this.options.api?.close();
  }
}
