// Runs commands on this machine without a shell (argv goes straight to execve).

import { spawn } from "node:child_process";
import { constants as osConstants } from "node:os";
import {
  CommandTimeoutError,
  type CommandExecutor,
  type CommandResult,
  type RunOptions,
} from "./executor";
import { DEFAULT_MAX_OUTPUT_BYTES, OutputBuffer } from "./output-buffer";

export type LocalExecutorOptions = {
  // Used when run() gets no timeoutMs. Default 60 s.
  defaultTimeoutMs?: number;
  // Cap per stream (stdout, stderr); the rest is dropped and "[output truncated]" appended. Default 4 MiB.
  maxOutputBytes?: number;
  cwd?: string;
  // Replaces the environment of the child (default: minimalEnv()).
  env?: NodeJS.ProcessEnv;
};

// What a server tool needs from the environment, and nothing else: the console's own
// environment holds the session secret, the encryption key and the Stripe key.
const PASSED_ON = ["PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR"];

export function minimalEnv(from: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env = {} as NodeJS.ProcessEnv;
  for (const key of PASSED_ON) if (from[key] !== undefined) env[key] = from[key];
  env.PATH ??= "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  return env;
}

export class LocalExecutor implements CommandExecutor {
  private readonly defaultTimeoutMs: number;
  private readonly maxOutputBytes: number;

  constructor(private readonly options: LocalExecutorOptions = {}) {
    this.defaultTimeoutMs = options.defaultTimeoutMs ?? 60_000;
    this.maxOutputBytes = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
  }

  run(argv: string[], options: RunOptions = {}): Promise<CommandResult> {
    if (argv.length === 0 || argv[0] === "")
      return Promise.reject(new Error("LocalExecutor.run needs a command"));
    const timeoutMs = options.timeoutMs ?? this.defaultTimeoutMs;
    return new Promise<CommandResult>((resolve, reject) => {
      // Own process group, so a timeout also ends whatever the command started.
      const child = spawn(argv[0], argv.slice(1), {
        cwd: this.options.cwd,
        env: this.options.env ?? minimalEnv(),
        stdio: ["pipe", "pipe", "pipe"],
        shell: false,
        detached: true,
      });
      const stdout = new OutputBuffer(this.maxOutputBytes);
      const stderr = new OutputBuffer(this.maxOutputBytes);
      let settled = false;
      const finish = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        fn();
      };
      const killGroup = () => {
        if (!child.pid) return;
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          try {
            child.kill("SIGKILL");
          } catch {
            /* already gone */
          }
        }
      };
      const timer = setTimeout(() => {
        killGroup();
        finish(() => reject(new CommandTimeoutError(argv[0], timeoutMs)));
      }, timeoutMs);

      child.stdout.on("data", (d: Buffer) => stdout.push(d));
      child.stderr.on("data", (d: Buffer) => stderr.push(d));
      child.on("error", (error) => finish(() => reject(error)));
      child.on("close", (code, signal) => {
        const exit = code ?? (signal ? 128 + (osConstants.signals[signal] ?? 0) : 1);
        finish(() => resolve({ code: exit, stdout: stdout.text(), stderr: stderr.text() }));
      });
      // A command that exits without reading its input must not crash us with EPIPE.
      child.stdin.on("error", () => undefined);
      if (options.input !== undefined) child.stdin.end(options.input);
      else child.stdin.end();
    });
  }

  async close(): Promise<void> {
    // Nothing is kept open between commands.
  }
}
