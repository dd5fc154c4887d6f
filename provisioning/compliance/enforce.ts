// Writes Parley's include file for a server atomically, reloads the server, checks its health,
// and rolls back to the previous file when the reload or the health check fails.
//
// On the target machine (through a CommandExecutor, so locally or over SSH):
//   <path>.parley-new     the new content (written from stdin)
//   <path>.parley-backup  the previous content (absent if there was none)
//   mv <path>.parley-new <path>   (atomic rename on the same filesystem)
//
// What the server needs to apply the file is the kind's business (ServerCompliance.reload in
// servers/<kind>/compliance.ts); a reload that fails or leaves the server unhealthy rolls back.

import type { Health } from "../servers/adapter";
import { complianceOf, type ComplianceSource } from "../servers/registry";
import type { CommandExecutor } from "../transport/executor";
import { readRemoteFile } from "../transport/remote-file";
import { sha256 } from "./include-files";
import type { Policy } from "./policy";

export type Reloader = () => Promise<void>;
export type HealthCheck = () => Promise<Health>;

// The kind renders the file and applies it: `compliance` (a ServerCompliance bound to the server),
// or `kind` with its render options and options (registry.ts ComplianceSource).
export type EnforceOptions = ComplianceSource & {
  executor: CommandExecutor;
  includePath: string;
  policy: Policy;
  // Applies the file. Default: the kind's reload (e.g. ejabberdReloader / prosodyReloader).
  reload?: Reloader;
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

// Restores the backup; without one (the file was new) leaves an empty file (ejabberd 23.01 and
// Prosody 0.12 accept an empty include; a new kind must too).
const RESTORE_SCRIPT =
  'set -e; p="$1"; if [ -e "$p.parley-backup" ]; then mv -f "$p.parley-backup" "$p"; else : > "$p"; fi';

async function sh(
  executor: CommandExecutor,
  script: string,
  path: string,
  input?: string,
): Promise<void> {
  const result = await executor.run(["sh", "-c", script, "sh", path], { input, timeoutMs: 30_000 });
  if (result.code !== 0)
    throw new Error(result.stderr.trim().slice(0, 300) || `exit ${result.code}`);
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
  const { executor, includePath, policy } = options;
  const compliance = complianceOf(options);
  const reload = options.reload ?? (() => compliance.reload(policy));
  const content = options.contentOverride ?? compliance.renderInclude(policy);
  const newHash = sha256(content);
  const previous = await readRemoteFile(executor, includePath);
  const previousHash = previous === null ? null : sha256(previous);

  if (previous === content && !options.force) {
    return {
      ok: true,
      changed: false,
      rolledBack: false,
      previousHash,
      newHash,
      currentHash: newHash,
      message: "The include file already matches the policy.",
    };
  }
  if (previous !== content) await sh(executor, WRITE_SCRIPT, includePath, content);

  let problem: string | null = null;
  try {
    await reload();
  } catch (error) {
    problem = `reload failed: ${describe(error)}`;
  }
  if (!problem) problem = await healthy(options.healthCheck);
  if (!problem) {
    return {
      ok: true,
      changed: previous !== content,
      rolledBack: false,
      previousHash,
      newHash,
      currentHash: newHash,
      message: "Policy written and applied.",
    };
  }

  if (previous === content) {
    return {
      ok: false,
      changed: false,
      rolledBack: false,
      previousHash,
      newHash,
      currentHash: newHash,
      message: `The include file matches the policy, but ${problem}`,
    };
  }
  // Roll back: previous file, reload, health.
  let rollbackProblem: string | null = null;
  try {
    await sh(executor, RESTORE_SCRIPT, includePath);
    await reload();
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
