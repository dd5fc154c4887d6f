// Runs one admin-shell command as `prosodyctl --config <cfg> shell "<command>"` through any
// CommandExecutor and parses what prosodyctl prints (about 0.3 s per call: it spawns Lua):
//   rc 0: repl-output lines, then the result line "OK: <text>" or "Result: <value>"
//   rc 1: the error on stderr: "Error: <message>", a Lua error, or "** Unable to connect…" on stdout.

import type { CommandExecutor } from "../../transport/executor";

export type ShellReply = {
  // "OK" for (true, message) answers, "Result" for single values.
  kind: "OK" | "Result";
  // Text after the prefix (may span lines for serialized tables).
  value: string;
  // Lines printed before the result line (e.g. the JIDs of user:list).
  lines: string[];
};

// The server answered with an error, or prosodyctl could not reach it.
export class ProsodyShellError extends Error {
  constructor(
    readonly code: number,
    readonly detail: string,
  ) {
    super(`Prosody admin shell: ${detail}`);
    this.name = "ProsodyShellError";
  }
}

const MAX_DETAIL = 500;

function firstLines(text: string): string {
  const cleaned = text.trim().split("\n").slice(0, 3).join(" | ");
  return cleaned.length > MAX_DETAIL ? cleaned.slice(0, MAX_DETAIL) + "…" : cleaned;
}

export function parseShellOutput(code: number, stdout: string, stderr: string): ShellReply {
  if (code !== 0) {
    const message = stderr.trim() || stdout.trim() || `prosodyctl exited with code ${code}`;
    // Drop the "Error: " the shell puts before (nil, message) answers.
    throw new ProsodyShellError(code, firstLines(message.replace(/^Error: /, "")));
  }
  const lines = stdout.replace(/\r\n/g, "\n").replace(/\n+$/, "").split("\n");
  for (let i = lines.length - 1; i >= 0; i--) {
    const match = /^(OK|Result): ?(.*)$/.exec(lines[i]);
    if (match) {
      const value = [match[2], ...lines.slice(i + 1)].join("\n");
      return { kind: match[1] as "OK" | "Result", value, lines: lines.slice(0, i) };
    }
  }
  throw new ProsodyShellError(code, `unexpected output: ${firstLines(stdout) || "(none)"}`);
}

// Anything with ShellRunner.run's shape (the one-shot CLI or an admin-socket client).
export type ShellLike = { run(command: string): Promise<ShellReply> };

export type ShellRunnerOptions = {
  executor: CommandExecutor;
  configPath: string;
  // Command (or absolute path) of prosodyctl on the target machine. Default "prosodyctl".
  prosodyctl?: string;
  timeoutMs?: number;
};

export class ShellRunner {
  constructor(private readonly options: ShellRunnerOptions) {}

  argv(command: string): string[] {
    return [
      this.options.prosodyctl ?? "prosodyctl",
      "--config",
      this.options.configPath,
      "shell",
      command,
    ];
  }

  async run(command: string): Promise<ShellReply> {
    const result = await this.options.executor.run(this.argv(command), {
      timeoutMs: this.options.timeoutMs ?? 30_000,
    });
    return parseShellOutput(result.code, result.stdout, result.stderr);
  }
}
