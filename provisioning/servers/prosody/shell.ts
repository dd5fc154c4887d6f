// Runs one admin-shell command through any CommandExecutor as `prosodyctl --config <cfg> shell
// --quiet`, with the command on standard input: never on the command line, where every local
// user can read it in /proc (passwords are part of some commands). About 0.3 s per call.
// prosodyctl then runs its interactive loop and prints, after a prompt, one entry per reply
// ("| " output, "! " error; later lines of a multi-line entry are unprefixed), then the prompt
// again and exits 0 at the end of input; "** Unable to connect…" and exit 1 if it cannot connect.
// parseShellSession turns that into what `prosodyctl shell "<command>"` would have printed:
//   rc 0: repl-output lines, then the result line "OK: <text>" or "Result: <value>"
//   rc 1: the error: "Error: <message>", a Lua error, or "** Unable to connect…".

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

// A reply of the interactive loop (see the top of this file) as parseShellOutput expects it.
export function parseShellSession(
  code: number,
  stdout: string,
  stderr: string,
  command: string,
): ShellReply {
  // Some readline builds echo the input line; it may hold a password, so it never goes further.
  const out = stdout.split(command).join("").replace(/\r\n/g, "\n");
  if (code !== 0) return parseShellOutput(code, out, stderr);
  const first = out.search(/[|!] /);
  if (first < 0)
    throw new ProsodyShellError(code, `unexpected output: ${firstLines(out) || "(none)"}`);
  const prompt = out.slice(0, first).trim();
  const lines = out.slice(first).replace(/\n+$/, "").split("\n");
  // The prompt printed again before the end of input.
  if (lines.length > 1 && lines[lines.length - 1].trim() === prompt) lines.pop();
  const entries: { error: boolean; text: string }[] = [];
  for (const line of lines) {
    const marker = /^([|!]) (.*)$/.exec(line);
    if (marker) entries.push({ error: marker[1] === "!", text: marker[2] });
    else entries[entries.length - 1].text += `\n${line}`;
  }
  const error = entries.find((e) => e.error);
  if (error) return parseShellOutput(1, "", error.text);
  return parseShellOutput(0, entries.map((e) => e.text).join("\n"), "");
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

  argv(): string[] {
    return [
      this.options.prosodyctl ?? "prosodyctl",
      "--config",
      this.options.configPath,
      "shell",
      "--quiet",
    ];
  }

  async run(command: string): Promise<ShellReply> {
    // One line is one command; our builders escape every newline inside Lua strings.
    if (/[\r\n]/.test(command)) throw new Error("A Prosody shell command must be one line");
    const result = await this.options.executor.run(this.argv(), {
      input: `${command}\n`,
      timeoutMs: this.options.timeoutMs ?? 30_000,
    });
    return parseShellSession(result.code, result.stdout, result.stderr, command);
  }
}
