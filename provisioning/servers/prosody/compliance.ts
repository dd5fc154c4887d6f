// Privacy-policy support for Prosody 0.12 through its admin shell (ServerCompliance):
//   reload        config:reload() re-reads the files and re-applies `log` (no restart needed for
//                 log level changes); mod_mam / muc_mam read their expiry only when loaded, so
//                 they are reloaded; modules_disabled is not applied by a reload, so forbidden
//                 modules that are loaded get module:unload. A broken include makes every
//                 prosodyctl call fail, so enforce restores the backup before the second reload.
//   configuration config:get() of the running server returns the expected retention values (an
//                 operator's per-host setting would override ours).
//   retention     config:get(host,'archive_expires_after') / muc_log_expires_after are the
//                 expected values and mod_mam is loaded (it does the expiry).
//   modules       module:list(host) and module:list(mucHost).
//   TLS           config:get(host,'c2s_require_encryption') (nil = 0.12's default, true).

import {
  errorMessage,
  modulesUndetermined,
  tlsUndiscoverable,
  type Check,
  type Evidence,
} from "../../compliance/checks";
import { bareModuleName, type Policy } from "../../compliance/policy";
import type { CommandExecutor } from "../../transport/executor";
import type { ServerCompliance, VerifyContext } from "../kind";
import { purgeProsodyArchives } from "./expiry";
import { renderProsodyIncludeWith, type ProsodyIncludeOptions } from "./include";
import { luaString } from "./lua";
import type { ShellLike } from "./shell";

export type ProsodyComplianceOptions = {
  shell: ShellLike;
  host: string;
  mucHost?: string | null;
};

export type ProsodyReloadTarget = {
  shell: ShellLike;
  host: string;
  mucHost?: string | null;
  // Loaded forbidden modules are unloaded on these hosts (modules_disabled needs a restart).
  forbiddenModules?: string[];
};

function moduleReloadLua(name: string, host: string): string {
  // Reload only if loaded: module:reload of an unloaded module is an error.
  return (
    `>local mm = require"core.modulemanager"; local m, h = ${luaString(name)}, ${luaString(host)}; ` +
    `if not prosody.hosts[h] then return nil, "No such host: " .. h end; ` +
    `if not mm.is_loaded(h, m) then return true, "not loaded" end; ` +
    `local ok, err = mm.reload(h, m); if not ok then return nil, "Could not reload " .. m .. ": " .. tostring(err) end; return true, "reloaded"`
  );
}

function moduleUnloadLua(name: string, host: string): string {
  return (
    `>local mm = require"core.modulemanager"; local m, h = ${luaString(name)}, ${luaString(host)}; ` +
    `if not prosody.hosts[h] then return nil, "No such host: " .. h end; ` +
    `if not mm.is_loaded(h, m) then return true, "not loaded" end; ` +
    `local ok, err = mm.unload(h, m); if not ok then return nil, "Could not unload " .. m .. ": " .. tostring(err) end; return true, "unloaded"`
  );
}

export function prosodyReloader(target: ProsodyReloadTarget): () => Promise<void> {
  return async () => {
    await target.shell.run("config:reload()");
    const hosts = [target.host, ...(target.mucHost ? [target.mucHost] : [])];
    await target.shell.run(moduleReloadLua("mam", target.host));
    if (target.mucHost) await target.shell.run(moduleReloadLua("muc_mam", target.mucHost));
    await target.shell.run(moduleReloadLua("http_file_share", target.host));
    for (const name of target.forbiddenModules ?? []) {
      for (const host of hosts) await target.shell.run(moduleUnloadLua(bareModuleName(name), host));
    }
  };
}

// config:get answers `OK: "5d"`, `OK: true`, `OK: 604800` or `OK: nil`.
async function configGet(shell: ShellLike, host: string, key: string): Promise<string> {
  const reply = await shell.run(`config:get(${luaString(host)}, ${luaString(key)})`);
  return reply.value.trim();
}

function luaLiteral(value: string | number | boolean): string {
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}

function expectedValues(
  p: Policy,
  r: ProsodyIncludeOptions | undefined,
): Array<{ host: "vhost" | "muc"; key: string; value: string | number | boolean }> {
  return [
    {
      host: "vhost",
      key: "archive_expires_after",
      value: r?.archiveExpiresAfter ?? `${p.mamRetentionDays > 0 ? p.mamRetentionDays : 1}d`,
    },
    { host: "vhost", key: "default_archive_policy", value: p.mamRetentionDays > 0 },
    {
      host: "muc",
      key: "muc_log_expires_after",
      value: r?.mucLogExpiresAfter ?? `${p.mucRetentionDays > 0 ? p.mucRetentionDays : 1}d`,
    },
    { host: "muc", key: "muc_log_by_default", value: p.mucRetentionDays > 0 },
    { host: "vhost", key: "http_file_share_expires_after", value: p.uploadExpiryDays * 86_400 },
  ];
}

type Value = { host: string; key: string; expected: string; actual: string };

function mismatch(v: Value): Evidence {
  return {
    kind: "config",
    detail: `${v.host} ${v.key} = ${v.actual.slice(0, 80)}, expected ${v.expected}`,
  };
}

// The running values of the keys Parley's include file sets (null: no admin shell was given).
type Running = Value[] | null;

export class ProsodyCompliance implements ServerCompliance<Running> {
  constructor(
    private readonly target: {
      executor: CommandExecutor;
      includePath: string;
      renderOptions?: ProsodyIncludeOptions;
      // Without the admin shell only the include file can be compared.
      options?: ProsodyComplianceOptions;
    },
  ) {}

  private get shell(): ProsodyComplianceOptions | null {
    return this.target.options ?? null;
  }

  renderInclude(policy: Policy): string {
    return renderProsodyIncludeWith(policy, this.target.renderOptions);
  }

  async reload(policy: Policy): Promise<void> {
    const s = this.shell;
    if (!s) throw new Error("Reloading Prosody needs its admin shell.");
    await prosodyReloader({
      shell: s.shell,
      host: s.host,
      mucHost: s.mucHost,
      forbiddenModules: policy.forbiddenModules,
    })();
  }

  async runningConfig(policy: Policy): Promise<{ mismatches: Evidence[]; state: Running }> {
    const s = this.shell;
    if (!s) return { mismatches: [], state: null };
    const values: Value[] = [];
    for (const item of expectedValues(policy, this.target.renderOptions)) {
      const host = item.host === "muc" ? s.mucHost : s.host;
      if (!host) continue;
      values.push({
        host,
        key: item.key,
        expected: luaLiteral(item.value),
        actual: await configGet(s.shell, host, item.key),
      });
    }
    return {
      mismatches: values.filter((v) => v.actual !== v.expected).map(mismatch),
      state: values,
    };
  }

  async retentionInForce(ctx: VerifyContext<Running>): Promise<Check> {
    const s = this.shell;
    const values = ctx.running;
    if (!s || !values) {
      return {
        name: "retention in force",
        passed: null,
        summary: `Could not read the running configuration${ctx.runningError ? `: ${ctx.runningError}` : ""}.`,
        evidence: [],
      };
    }
    const keys = new Set(["archive_expires_after", "muc_log_expires_after"]);
    const wrong = values.filter((v) => keys.has(v.key) && v.actual !== v.expected);
    let mamLoaded: boolean | null = null;
    try {
      const list = await s.shell.run(`module:list(${luaString(s.host)})`);
      mamLoaded = list.lines.some((l) => l.trim() === "mam");
    } catch {
      /* unknown */
    }
    const mamRequired = ctx.policy.mamRetentionDays > 0;
    const ev: Evidence[] = wrong.map(mismatch);
    if (mamLoaded === false && mamRequired)
      ev.push({ kind: "module", detail: "mod_mam is not loaded on the vhost." });
    const passed =
      wrong.length > 0 || (mamLoaded === false && mamRequired)
        ? false
        : mamLoaded === null
          ? null
          : true;
    return {
      name: "retention in force",
      passed,
      summary: passed
        ? `Prosody expires archives after ${values.find((v) => v.key === "archive_expires_after")?.actual}.`
        : passed === false
          ? "The running retention differs from the policy."
          : "Could not list the loaded modules.",
      evidence: ev,
    };
  }

  async forbiddenModulesAbsent(forbidden: string[]): Promise<Check> {
    const s = this.shell;
    if (!s) return modulesUndetermined();
    try {
      const hosts = [s.host, ...(s.mucHost ? [s.mucHost] : [])];
      const found: Evidence[] = [];
      for (const host of hosts) {
        const list = await s.shell.run(`module:list(${luaString(host)})`);
        const loaded = new Set(list.lines.map((l) => l.trim()));
        for (const m of forbidden)
          if (loaded.has(m))
            found.push({ kind: "module", detail: `mod_${m} is loaded on ${host}` });
      }
      return {
        name: "forbidden modules absent",
        passed: found.length === 0,
        summary:
          found.length === 0
            ? "No forbidden module is loaded."
            : `${found.length} forbidden module(s) loaded.`,
        evidence: found,
      };
    } catch (error) {
      return {
        name: "forbidden modules absent",
        passed: null,
        summary: `Could not list modules: ${errorMessage(error)}`,
        evidence: [],
      };
    }
  }

  async tlsRequired(): Promise<Check> {
    const s = this.shell;
    if (!s) return tlsUndiscoverable();
    try {
      const value = await configGet(s.shell, s.host, "c2s_require_encryption");
      const passed = value === "true" || value === "nil";
      return {
        name: "TLS required for clients",
        passed,
        summary: passed
          ? "c2s_require_encryption is in force."
          : "c2s_require_encryption is off: clients may connect without TLS.",
        evidence: passed
          ? []
          : [{ kind: "config", detail: `c2s_require_encryption = ${value.slice(0, 40)}` }],
      };
    } catch (error) {
      return {
        name: "TLS required for clients",
        passed: null,
        summary: `Could not read c2s_require_encryption: ${errorMessage(error)}`,
        evidence: [],
      };
    }
  }

  // module:list of the vhost and the MUC host (bare names); the MUC component itself is "muc".
  async loadedModules(): Promise<string[] | null> {
    const s = this.shell;
    if (!s) return null;
    try {
      const hosts = [s.host, ...(s.mucHost ? [s.mucHost] : [])];
      const names: string[] = [];
      for (const host of hosts) {
        const reply = await s.shell.run(`module:list(${luaString(host)})`);
        names.push(...reply.lines.map((l) => bareModuleName(l.trim())).filter(Boolean));
      }
      if (s.mucHost) names.push("muc");
      return names;
    } catch {
      return null;
    }
  }

  // Prosody expires archives itself (mod_cron); this runs the same expiry tasks now.
  async purgeArchives() {
    const s = this.shell;
    if (!s) throw new Error("Purging Prosody's archives needs its admin shell.");
    return purgeProsodyArchives({ shell: s.shell, host: s.host, mucHost: s.mucHost });
  }

  async close(): Promise<void> {}
}
