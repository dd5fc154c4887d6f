// Checks a server against its privacy policy and reports redacted evidence only: log findings
// are masked lines with a keyed hash (log-scan.ts), never a raw address or password.
//
// Checks and what they really verify (the kind's part: servers/<kind>/compliance.ts):
//   "log scan"                  the tail of logPath (or what was written after the byte offset
//                               `logSince`, e.g. the previous run's logSize) read through the
//                               executor and scanned; fails on address findings under noIpLogging
//                               and password findings under noPasswordLogging. The server's own
//                               listen addresses (127.0.0.1, ::1 by default) are ignored.
//   "configuration match"       Parley's include file on disk equals what the policy renders, and
//                               the running server agrees (ServerCompliance.runningConfig).
//   "retention in force"        ServerCompliance.retentionInForce.
//   "forbidden modules absent"  passed when the policy forbids none; else the kind's answer.
//   "TLS required for clients"  ServerCompliance.tlsRequired.

import { complianceOf, type ComplianceSource } from "../servers/registry";
import type { ServerCompliance, VerifyContext } from "../servers/kind";
import type { CommandExecutor } from "../transport/executor";
import { readRemoteFile } from "../transport/remote-file";
import { errorMessage as message, type Check, type Evidence } from "./checks";
import { sha256 } from "./include-files";
import { scanLog, type Finding } from "./log-scan";
import { bareModuleName, type Policy } from "./policy";

export type { Check, CheckName, Evidence } from "./checks";

export type VerifyResult = {
  status: "compliant" | "drifted" | "unknown";
  // sha256 of the include file on disk (null: missing or unreadable).
  configHash: string | null;
  checks: Check[];
  // Size of the log when read; pass it as logSince next time to scan only newer lines.
  logSize: number | null;
};

// The kind answers the kind-specific checks: `compliance` (a ServerCompliance bound to the server),
// or `kind` with its render options and options (registry.ts ComplianceSource).
export type VerifyOptions = ComplianceSource & {
  executor: CommandExecutor;
  policy: Policy;
  includePath: string;
  logPath: string | null;
  hmacKey: Buffer;
  ignoreAddresses?: string[];
  // Byte offset: only text written after it is scanned (a smaller log = rotated: scanned from 0).
  logSince?: number;
  maxLogBytes?: number;
  now?: Date;
};

const LOG_SCRIPT =
  '[ -e "$1" ] || exit 3; s=$(stat -c %s "$1") || exit 4; from=$2; max=$3; ' +
  'if [ "$from" -gt "$s" ]; then from=0; fi; if [ $((s - from)) -gt "$max" ]; then from=$((s - max)); fi; ' +
  'echo "$s $from"; tail -c +$((from + 1)) "$1" | head -c "$max"';

function redacted(finding: Finding): Evidence {
  return {
    kind: finding.kind,
    file: finding.file,
    line: finding.line,
    lineHmac: finding.lineHmac,
    masked: finding.masked,
  };
}

async function logScan(o: VerifyOptions): Promise<{ check: Check; size: number | null }> {
  const name = "log scan" as const;
  if (!o.logPath)
    return {
      check: {
        name,
        passed: null,
        summary: "No log path is configured for this server.",
        evidence: [],
      },
      size: null,
    };
  const max = o.maxLogBytes ?? 5_000_000;
  let result;
  try {
    result = await o.executor.run(
      [
        "sh",
        "-c",
        LOG_SCRIPT,
        "sh",
        o.logPath,
        String(Math.max(0, Math.floor(o.logSince ?? 0))),
        String(max),
      ],
      { timeoutMs: 60_000 },
    );
  } catch (error) {
    return {
      check: {
        name,
        passed: null,
        summary: `The log could not be read: ${message(error)}`,
        evidence: [],
      },
      size: null,
    };
  }
  if (result.code === 3)
    return {
      check: { name, passed: null, summary: "The log file does not exist.", evidence: [] },
      size: null,
    };
  if (result.code !== 0)
    return {
      check: {
        name,
        passed: null,
        summary: `The log could not be read (exit ${result.code}).`,
        evidence: [],
      },
      size: null,
    };
  const newline = result.stdout.indexOf("\n");
  const [sizeText, fromText] = result.stdout.slice(0, newline).split(" ");
  const size = Number(sizeText);
  const from = Number(fromText);
  const text = result.stdout.slice(newline + 1);
  const findings = scanLog(o.logPath, text, {
    ignore: o.ignoreAddresses ?? ["127.0.0.1", "::1"],
    hmacKey: o.hmacKey,
  });
  const bad = findings.filter((f) =>
    f.kind === "password" ? o.policy.noPasswordLogging : o.policy.noIpLogging,
  );
  const scope = from > 0 ? `bytes ${from}–${size}` : `${size} bytes`;
  return {
    size: Number.isFinite(size) ? size : null,
    check: {
      name,
      passed: bad.length === 0,
      summary:
        bad.length === 0
          ? `No client addresses or passwords the policy forbids in the log (${scope} scanned).`
          : `${bad.length} forbidden item(s) in the log (${[...new Set(bad.map((f) => f.kind))].join(", ")}; ${scope} scanned).`,
      evidence: bad.map(redacted),
    },
  };
}

export async function verifyServer(o: VerifyOptions): Promise<VerifyResult> {
  return verifyWith(complianceOf(o), o);
}

async function verifyWith<State>(
  kind: ServerCompliance<State>,
  o: VerifyOptions,
): Promise<VerifyResult> {
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
    wanted = kind.renderInclude(o.policy);
  } catch (error) {
    readError = readError ?? message(error);
  }
  const evidence: Evidence[] = [];
  let match: boolean | null = readError ? null : onDisk !== null && onDisk === wanted;
  if (onDisk === null && !readError)
    evidence.push({ kind: "include", detail: "The include file does not exist." });
  else if (onDisk !== null && wanted !== null && onDisk !== wanted)
    evidence.push({
      kind: "include",
      detail: `On disk sha256 ${configHash}, policy renders ${sha256(wanted)}.`,
    });

  let running: State | null = null;
  let runningError: string | null = null;
  try {
    const answer = await kind.runningConfig(o.policy);
    running = answer.state;
    evidence.push(...answer.mismatches);
    if (answer.mismatches.length > 0 && match !== null) match = false;
  } catch (error) {
    runningError = message(error);
    match = match === false ? false : null;
  }
  checks.push({
    name: "configuration match",
    passed: match,
    summary:
      match === true
        ? "The include file and the running configuration match the policy."
        : match === false
          ? "The configuration differs from the policy."
          : `The configuration could not be compared: ${readError ?? runningError ?? "unknown"}`,
    evidence,
  });

  const ctx: VerifyContext<State> = {
    policy: o.policy,
    includeOnDisk: onDisk,
    running,
    runningError,
    now: o.now ?? new Date(),
  };

  // ---- retention in force
  checks.push(await kind.retentionInForce(ctx));

  // ---- forbidden modules absent
  const forbidden = o.policy.forbiddenModules.map(bareModuleName);
  checks.push(
    forbidden.length === 0
      ? {
          name: "forbidden modules absent",
          passed: true,
          summary: "The policy forbids no modules.",
          evidence: [],
        }
      : await kind.forbiddenModulesAbsent(forbidden, ctx),
  );

  // ---- TLS required for clients
  checks.push(await kind.tlsRequired(ctx));

  const status = checks.some((c) => c.passed === false)
    ? "drifted"
    : checks.some((c) => c.passed === null)
      ? "unknown"
      : "compliant";
  return { status, configHash, checks, logSize: size };
}
