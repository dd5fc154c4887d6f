// Writes Parley's include file for a server atomically, reloads the server, checks its health,
// and rolls back to the previous file when the reload or the health check fails.
//
// On the target machine (through a CommandExecutor, so locally or over SSH):
//   <path>.parley-new     the new content (written from stdin)
//   <path>.parley-backup  the previous content (absent if there was none)
//   mv <path>.parley-new <path>   (atomic rename on the same filesystem)
//
// What needs what (observed, see include-files.ts):
//   ejabberd 23.01: reload_config applies hide_sensitive_log_data, loglevel and mod_mam options.
//   Prosody 0.12:  config:reload() re-reads the files and re-applies `log` (no restart needed for
//                  log level changes); mod_mam / muc_mam read their expiry only when loaded, so
//                  they are reloaded; modules_disabled is not applied by a reload, so forbidden
//                  modules that are loaded get module:unload. A broken include makes every
//                  prosodyctl call fail, so the backup is restored before the second reload.

import type { Health } from "../servers/adapter";
import type { EjabberdApi } from "../servers/ejabberd/http-api";
import type { CommandExecutor } from "../transport/executor";
import { luaString } from "../servers/prosody/lua";
import type { ShellReply } from "../servers/prosody/shell";
import { renderInclude, sha256, type RenderOptions, type ServerKind } from "./include-files";
import { bareModuleName, type Policy } from "./policy";

export type Reloader = () => Promise<void>;
export type HealthCheck = () => Promise<Health>;

export type EnforceOptions = {
  executor: CommandExecutor;
  kind: ServerKind;
  includePath: string;
  policy: Policy;
  renderOptions?: RenderOptions;
  // Applies the file (see ejabberdReloader / prosodyReloader).
  reload: Reloader;
  // Usually adapter.health().
  healthCheck: HealthCheck;
  // Tests and diagnostics only: write this text instead of the rendered policy.
  contentOverride?: string;
  // Reload even when the file on disk already has the wanted content. Default false.
  force?: boolean;
};

export type EnforceResult = {
  ok: boolean;
  // The file on disk was replaced (and stays replaced only if ok).
  changed: boolean;
  rolledBack: boolean;
  // sha256 of the previous file (null: there was none) and of the wanted content.
  previousHash: string | null;
  newHash: string;
  // sha256 of what is on disk now.
  currentHash: string | null;
  message: string;
};

const WRITE_SCRIPT =
  'set -e; p="$1"; umask 077; cat > "$p.parley-new"; ' +
  'if [ -e "$p" ]; then cp -p "$p" "$p.parley-backup"; chmod --reference="$p" "$p.parley-new" 2>/dev/null || true; ' +
  'else rm -f "$p.parley-backup"; chmod 644 "$p.parley-new"; fi; ' +
  'mv -f "$p.parley-new" "$p"';

// Restores the backup; without one (the file was new) leaves an empty file, which both servers accept.
const RESTORE_SCRIPT =
  'set -e; p="$1"; if [ -e "$p.parley-backup" ]; then mv -f "$p.parley-backup" "$p"; else : > "$p"; fi';

const READ_SCRIPT = 'if [ -e "$1" ]; then cat "$1"; else exit 3; fi';

export async function readRemoteFile(executor: CommandExecutor, path: string): Promise<string | null> {
  const result = await executor.run(["sh", "-c", READ_SCRIPT, "sh", path], { timeoutMs: 30_000 });
  if (result.code === 3) return null;
  if (result.code !== 0) throw new Error(`Could not read ${path}: ${result.stderr.trim().slice(0, 300) || `exit ${result.code}`}`);
  return result.stdout;
}

async function sh(executor: CommandExecutor, script: string, path: string, input?: string): Promise<void> {
  const result = await executor.run(["sh", "-c", script, "sh", path], { input, timeoutMs: 30_000 });
  if (result.code !== 0) throw new Error(result.stderr.trim().slice(0, 300) || `exit ${result.code}`);
}

function describe(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 500);
}

async function healthy(check: HealthCheck): Promise<string | null> {
  try {
    const health = await check();
    return health.ok ? null : `health check failed: ${health.detail ?? "not ok"}`;
  } catch (error) {
    return `health check failed: ${describe(error)}`;
  }
}

export async function enforcePolicy(options: EnforceOptions): Promise<EnforceResult> {
  const { executor, includePath } = options;
  const content = options.contentOverride ?? renderInclude(options.kind, options.policy, options.renderOptions);
  const newHash = sha256(content);
  const previous = await readRemoteFile(executor, includePath);
  const previousHash = previous === null ? null : sha256(previous);

  if (previous === content && !options.force) {
    return { ok: true, changed: false, rolledBack: false, previousHash, newHash, currentHash: newHash, message: "The include file already matches the policy." };
  }
  if (previous !== content) await sh(executor, WRITE_SCRIPT, includePath, content);

  let problem: string | null = null;
  try {
    await options.reload();
  } catch (error) {
    problem = `reload failed: ${describe(error)}`;
  }
  if (!problem) problem = await healthy(options.healthCheck);
  if (!problem) {
    return { ok: true, changed: previous !== content, rolledBack: false, previousHash, newHash, currentHash: newHash, message: "Policy written and applied." };
  }

  if (previous === content) {
    return { ok: false, changed: false, rolledBack: false, previousHash, newHash, currentHash: newHash, message: `The include file matches the policy, but ${problem}` };
  }
  // Roll back: previous file, reload, health.
  let rollbackProblem: string | null = null;
  try {
    await sh(executor, RESTORE_SCRIPT, includePath);
    await options.reload();
    rollbackProblem = await healthy(options.healthCheck);
  } catch (error) {
    rollbackProblem = describe(error);
  }
  const current = await readRemoteFile(executor, includePath).catch(() => null);
  return {
    ok: false,
    changed: false,
    rolledBack: true,
    previousHash,
    newHash,
    currentHash: current === null ? null : sha256(current),
    message: rollbackProblem
      ? `The new include file was rejected (${problem}); the previous file was restored, but the server is still not healthy: ${rollbackProblem}`
      : `The new include file was rejected (${problem}); the previous file was restored and reloaded.`,
  };
}

// ---------------------------------------------------------------- reloaders

export function ejabberdReloader(api: EjabberdApi): Reloader {
  return async () => {
    const result = await api.call<unknown>("reload_config", {});
    if (result !== 0) throw new Error(`reload_config answered ${JSON.stringify(result)}`);
  };
}

// Anything with ShellRunner.run's shape (the one-shot CLI or an admin-socket client).
export type ShellLike = { run(command: string): Promise<ShellReply> };

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

export function prosodyReloader(target: ProsodyReloadTarget): Reloader {
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
