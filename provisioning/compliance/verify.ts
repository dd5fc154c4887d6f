// Checks a server against its privacy policy and reports redacted evidence only: log findings
// are masked lines with a keyed hash (log-scan.ts), never a raw address or password.
//
// Checks and what they really verify:
//   "log scan"                  both kinds: the tail of logPath (or what was written after the
//                               byte offset `logSince`, e.g. the previous run's logSize) read through
//                               the executor and scanned; fails on address findings under
//                               noIpLogging and password findings under noPasswordLogging. The
//                               server's own listen addresses (127.0.0.1, ::1 by default) are ignored.
//   "configuration match"       both: Parley's include file on disk equals what the policy renders.
//                               Prosody also: config:get() of the running server returns the expected
//                               retention values (an operator's per-host setting would override ours).
//                               ejabberd also (if mainConfigPath is given): the main config names the
//                               include file in include_config_file.
//   "retention in force"        Prosody: config:get(host,'archive_expires_after') / muc_log_expires_after
//                               are the expected values and mod_mam is loaded (it does the expiry).
//                               ejabberd: cannot expire by itself; passed when Parley's purge ran within
//                               the last 26 h (lastPurgeAt), unknown when not told, failed when older.
//   "forbidden modules absent"  Prosody: module:list(host) and module:list(mucHost). ejabberd 23.01 has
//                               no API command listing loaded modules: the `modules:` keys of the main
//                               config and the include file (unknown without mainConfigPath).
//   "TLS required for clients"  Prosody: config:get(host,'c2s_require_encryption') (nil = 0.12's default,
//                               true). ejabberd: every ejabberd_c2s listener of the main config has
//                               starttls_required: true or tls: true; unknown without mainConfigPath.

import type { CommandExecutor } from "../transport/executor";
import { luaString } from "../servers/prosody/lua";
import { scanLog, type Finding } from "./log-scan";
import type { ShellLike } from "./enforce";
import { readRemoteFile } from "./enforce";
import { renderInclude, sha256, type RenderOptions, type ServerKind } from "./include-files";
import { bareModuleName, type Policy } from "./policy";

export type CheckName = "log scan" | "configuration match" | "retention in force" | "forbidden modules absent" | "TLS required for clients";

export type Evidence = { kind: string; file?: string; line?: number; lineHmac?: string; masked?: string; detail?: string };

export type Check = {
  name: CheckName;
  // null = could not be determined (reported as unknown, never as passed).
  passed: boolean | null;
  summary: string;
  evidence: Evidence[];
};

export type VerifyResult = {
  status: "compliant" | "drifted" | "unknown";
  // sha256 of the include file on disk (null: missing or unreadable).
  configHash: string | null;
  checks: Check[];
  // Size of the log when read; pass it as logSince next time to scan only newer lines.
  logSize: number | null;
};

export type VerifyOptions = {
  kind: ServerKind;
  executor: CommandExecutor;
  policy: Policy;
  includePath: string;
  logPath: string | null;
  hmacKey: Buffer;
  renderOptions?: RenderOptions;
  ignoreAddresses?: string[];
  // Byte offset: only text written after it is scanned (a smaller log = rotated: scanned from 0).
  logSince?: number;
  maxLogBytes?: number;
  prosody?: { shell: ShellLike; host: string; mucHost?: string | null };
  ejabberd?: { mainConfigPath?: string | null; lastPurgeAt?: Date | null };
  now?: Date;
};

const LOG_SCRIPT =
  '[ -e "$1" ] || exit 3; s=$(stat -c %s "$1") || exit 4; from=$2; max=$3; ' +
  'if [ "$from" -gt "$s" ]; then from=0; fi; if [ $((s - from)) -gt "$max" ]; then from=$((s - max)); fi; ' +
  'echo "$s $from"; tail -c +$((from + 1)) "$1" | head -c "$max"';

function message(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 300);
}

function redacted(finding: Finding): Evidence {
  return { kind: finding.kind, file: finding.file, line: finding.line, lineHmac: finding.lineHmac, masked: finding.masked };
}

async function logScan(o: VerifyOptions): Promise<{ check: Check; size: number | null }> {
  const name = "log scan" as const;
  if (!o.logPath) return { check: { name, passed: null, summary: "No log path is configured for this server.", evidence: [] }, size: null };
  const max = o.maxLogBytes ?? 5_000_000;
  let result;
  try {
    result = await o.executor.run(["sh", "-c", LOG_SCRIPT, "sh", o.logPath, String(Math.max(0, Math.floor(o.logSince ?? 0))), String(max)], { timeoutMs: 60_000 });
  } catch (error) {
    return { check: { name, passed: null, summary: `The log could not be read: ${message(error)}`, evidence: [] }, size: null };
  }
  if (result.code === 3) return { check: { name, passed: null, summary: "The log file does not exist.", evidence: [] }, size: null };
  if (result.code !== 0) return { check: { name, passed: null, summary: `The log could not be read (exit ${result.code}).`, evidence: [] }, size: null };
  const newline = result.stdout.indexOf("\n");
  const [sizeText, fromText] = result.stdout.slice(0, newline).split(" ");
  const size = Number(sizeText);
  const from = Number(fromText);
  const text = result.stdout.slice(newline + 1);
  const findings = scanLog(o.logPath, text, { ignore: o.ignoreAddresses ?? ["127.0.0.1", "::1"], hmacKey: o.hmacKey });
  const bad = findings.filter((f) => (f.kind === "password" ? o.policy.noPasswordLogging : o.policy.noIpLogging));
  const scope = from > 0 ? `bytes ${from}–${size}` : `${size} bytes`;
  return {
    size: Number.isFinite(size) ? size : null,
    check: {
      name,
      passed: bad.length === 0,
      summary: bad.length === 0
        ? `No client addresses or passwords the policy forbids in the log (${scope} scanned).`
        : `${bad.length} forbidden item(s) in the log (${[...new Set(bad.map((f) => f.kind))].join(", ")}; ${scope} scanned).`,
      evidence: bad.map(redacted),
    },
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

function prosodyExpected(o: VerifyOptions): Array<{ host: "vhost" | "muc"; key: string; value: string | number | boolean }> {
  const p = o.policy;
  const r = o.renderOptions?.prosody;
  return [
    { host: "vhost", key: "archive_expires_after", value: r?.archiveExpiresAfter ?? `${p.mamRetentionDays > 0 ? p.mamRetentionDays : 1}d` },
    { host: "vhost", key: "default_archive_policy", value: p.mamRetentionDays > 0 },
    { host: "muc", key: "muc_log_expires_after", value: r?.mucLogExpiresAfter ?? `${p.mucRetentionDays > 0 ? p.mucRetentionDays : 1}d` },
    { host: "muc", key: "muc_log_by_default", value: p.mucRetentionDays > 0 },
    { host: "vhost", key: "http_file_share_expires_after", value: p.uploadExpiryDays * 86_400 },
  ];
}

async function prosodyValues(o: VerifyOptions): Promise<Array<{ host: string; key: string; expected: string; actual: string }>> {
  const pr = o.prosody!;
  const out = [];
  for (const item of prosodyExpected(o)) {
    const host = item.host === "muc" ? pr.mucHost : pr.host;
    if (!host) continue;
    out.push({ host, key: item.key, expected: luaLiteral(item.value), actual: await configGet(pr.shell, host, item.key) });
  }
  return out;
}

// Top-level module names under `modules:` in an ejabberd YAML file (2-space indented keys).
export function ejabberdModulesInYaml(text: string): string[] {
  const lines = text.split(/\r?\n/);
  const out: string[] = [];
  let inside = false;
  for (const line of lines) {
    if (/^modules:\s*(#.*)?$/.test(line)) { inside = true; continue; }
    if (!inside || /^\s*(#.*)?$/.test(line)) continue;
    if (/^\S/.test(line)) { inside = false; continue; }
    const m = /^ {2}(mod_[A-Za-z0-9_]+)\s*:/.exec(line);
    if (m) out.push(m[1]);
  }
  return out;
}

// null when no ejabberd_c2s listener was found; otherwise whether all of them require TLS.
export function ejabberdC2sRequiresTls(text: string): { listeners: number; requiring: number } | null {
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((l) => /^listen:\s*(#.*)?$/.test(l));
  if (start < 0) return null;
  const block: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (/^\S/.test(line) && !/^\s*#/.test(line)) break;
    block.push(line);
  }
  const items = ("\n" + block.join("\n")).split(/\n\s*-(?=\s)/).slice(1);
  const c2s = items.filter((item) => /\bmodule:\s*ejabberd_c2s\b/.test(item));
  if (c2s.length === 0) return null;
  const requiring = c2s.filter((item) => /\bstarttls_required:\s*true\b/.test(item) || /\btls:\s*true\b/.test(item)).length;
  return { listeners: c2s.length, requiring };
}

export async function verifyServer(o: VerifyOptions): Promise<VerifyResult> {
  const checks: Check[] = [];
  const { check: scan, size } = await logScan(o);
  checks.push(scan);

  // ---- configuration match
  let onDisk: string | null = null;
  let readError: string | null = null;
  try {
    onDisk = await readRemoteFile(o.executor, o.includePath);
  } catch (error) {
    readError = message(error);
  }
  const configHash = onDisk === null ? null : sha256(onDisk);
  let wanted: string | null = null;
  try {
    wanted = renderInclude(o.kind, o.policy, o.renderOptions);
  } catch (error) {
    readError = readError ?? message(error);
  }
  const evidence: Evidence[] = [];
  let match: boolean | null = readError ? null : onDisk !== null && onDisk === wanted;
  if (onDisk === null && !readError) evidence.push({ kind: "include", detail: "The include file does not exist." });
  else if (onDisk !== null && wanted !== null && onDisk !== wanted) evidence.push({ kind: "include", detail: `On disk sha256 ${configHash}, policy renders ${sha256(wanted)}.` });

  let prosodyConfig: Array<{ host: string; key: string; expected: string; actual: string }> | null = null;
  let prosodyError: string | null = null;
  if (o.kind === "prosody" && o.prosody) {
    try {
      prosodyConfig = await prosodyValues(o);
      for (const v of prosodyConfig) {
        if (v.actual !== v.expected) {
          evidence.push({ kind: "config", detail: `${v.host} ${v.key} = ${v.actual.slice(0, 80)}, expected ${v.expected}` });
          if (match !== null) match = false;
        }
      }
    } catch (error) {
      prosodyError = message(error);
      match = match === false ? false : null;
    }
  }
  let mainConfig: string | null = null;
  if (o.kind === "ejabberd" && o.ejabberd?.mainConfigPath) {
    try {
      mainConfig = await readRemoteFile(o.executor, o.ejabberd.mainConfigPath);
    } catch { /* reported as unknown below */ }
    if (mainConfig !== null && !mainConfig.includes(o.includePath)) {
      evidence.push({ kind: "config", detail: "The main ejabberd.yml does not name the include file in include_config_file." });
      if (match !== null) match = false;
    }
  }
  checks.push({
    name: "configuration match",
    passed: match,
    summary: match === true ? "The include file and the running configuration match the policy."
      : match === false ? "The configuration differs from the policy."
      : `The configuration could not be compared: ${readError ?? prosodyError ?? "unknown"}`,
    evidence,
  });

  // ---- retention in force
  if (o.kind === "prosody") {
    if (!o.prosody || !prosodyConfig) {
      checks.push({ name: "retention in force", passed: null, summary: `Could not read the running configuration${prosodyError ? `: ${prosodyError}` : ""}.`, evidence: [] });
    } else {
      const keys = new Set(["archive_expires_after", "muc_log_expires_after"]);
      const wrong = prosodyConfig.filter((v) => keys.has(v.key) && v.actual !== v.expected);
      let mamLoaded: boolean | null = null;
      try {
        const list = await o.prosody.shell.run(`module:list(${luaString(o.prosody.host)})`);
        mamLoaded = list.lines.some((l) => l.trim() === "mam");
      } catch { /* unknown */ }
      const ev: Evidence[] = wrong.map((v) => ({ kind: "config", detail: `${v.host} ${v.key} = ${v.actual.slice(0, 80)}, expected ${v.expected}` }));
      if (mamLoaded === false && o.policy.mamRetentionDays > 0) ev.push({ kind: "module", detail: "mod_mam is not loaded on the vhost." });
      const passed = wrong.length > 0 || (mamLoaded === false && o.policy.mamRetentionDays > 0) ? false : mamLoaded === null ? null : true;
      checks.push({
        name: "retention in force",
        passed,
        summary: passed ? `Prosody expires archives after ${prosodyConfig.find((v) => v.key === "archive_expires_after")?.actual}.` : passed === false ? "The running retention differs from the policy." : "Could not list the loaded modules.",
        evidence: ev,
      });
    }
  } else {
    const last = o.ejabberd?.lastPurgeAt ?? null;
    const now = o.now ?? new Date();
    if (!last) checks.push({ name: "retention in force", passed: null, summary: "ejabberd 23.01 does not expire archives itself and no purge by Parley is recorded.", evidence: [] });
    else {
      const hours = (now.getTime() - last.getTime()) / 3_600_000;
      const passed = hours <= 26;
      checks.push({
        name: "retention in force",
        passed,
        summary: passed ? `Parley purged archives older than the policy ${hours.toFixed(1)} h ago.` : `The last purge was ${hours.toFixed(0)} h ago (more than a day).`,
        evidence: passed ? [] : [{ kind: "purge", detail: `last purge ${last.toISOString()}` }],
      });
    }
  }

  // ---- forbidden modules absent
  const forbidden = o.policy.forbiddenModules.map(bareModuleName);
  if (forbidden.length === 0) {
    checks.push({ name: "forbidden modules absent", passed: true, summary: "The policy forbids no modules.", evidence: [] });
  } else if (o.kind === "prosody" && o.prosody) {
    try {
      const hosts = [o.prosody.host, ...(o.prosody.mucHost ? [o.prosody.mucHost] : [])];
      const found: Evidence[] = [];
      for (const host of hosts) {
        const list = await o.prosody.shell.run(`module:list(${luaString(host)})`);
        const loaded = new Set(list.lines.map((l) => l.trim()));
        for (const m of forbidden) if (loaded.has(m)) found.push({ kind: "module", detail: `mod_${m} is loaded on ${host}` });
      }
      checks.push({ name: "forbidden modules absent", passed: found.length === 0, summary: found.length === 0 ? "No forbidden module is loaded." : `${found.length} forbidden module(s) loaded.`, evidence: found });
    } catch (error) {
      checks.push({ name: "forbidden modules absent", passed: null, summary: `Could not list modules: ${message(error)}`, evidence: [] });
    }
  } else if (o.kind === "ejabberd" && mainConfig !== null) {
    const configured = new Set([...ejabberdModulesInYaml(mainConfig), ...(onDisk ? ejabberdModulesInYaml(onDisk) : [])]);
    const found = forbidden.filter((m) => configured.has(`mod_${m}`)).map((m) => ({ kind: "module", detail: `mod_${m} is configured` }));
    checks.push({
      name: "forbidden modules absent",
      passed: found.length === 0,
      summary: found.length === 0 ? "No forbidden module is configured (ejabberd has no API to list loaded modules; read from the config files)." : `${found.length} forbidden module(s) configured.`,
      evidence: found,
    });
  } else {
    checks.push({ name: "forbidden modules absent", passed: null, summary: "The loaded modules could not be determined (no readable main configuration).", evidence: [] });
  }

  // ---- TLS required for clients
  if (o.kind === "prosody" && o.prosody) {
    try {
      const value = await configGet(o.prosody.shell, o.prosody.host, "c2s_require_encryption");
      const passed = value === "true" || value === "nil";
      checks.push({
        name: "TLS required for clients",
        passed,
        summary: passed ? "c2s_require_encryption is in force." : "c2s_require_encryption is off: clients may connect without TLS.",
        evidence: passed ? [] : [{ kind: "config", detail: `c2s_require_encryption = ${value.slice(0, 40)}` }],
      });
    } catch (error) {
      checks.push({ name: "TLS required for clients", passed: null, summary: `Could not read c2s_require_encryption: ${message(error)}`, evidence: [] });
    }
  } else if (o.kind === "ejabberd" && mainConfig !== null) {
    const tls = ejabberdC2sRequiresTls(mainConfig);
    checks.push(tls === null
      ? { name: "TLS required for clients", passed: null, summary: "No ejabberd_c2s listener found in the main configuration.", evidence: [] }
      : {
          name: "TLS required for clients",
          passed: tls.requiring === tls.listeners,
          summary: `${tls.requiring} of ${tls.listeners} c2s listener(s) require TLS (starttls_required or tls).`,
          evidence: tls.requiring === tls.listeners ? [] : [{ kind: "config", detail: "an ejabberd_c2s listener lacks starttls_required: true" }],
        });
  } else {
    checks.push({ name: "TLS required for clients", passed: null, summary: "Not discoverable without the main configuration.", evidence: [] });
  }

  const status = checks.some((c) => c.passed === false) ? "drifted" : checks.some((c) => c.passed === null) ? "unknown" : "compliant";
  return { status, configHash, checks, logSize: size };
}
