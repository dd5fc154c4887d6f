// Runs commands on a backing server's machine: locally (local-executor.ts), or over SSH (ssh-executor.ts).

export type CommandResult = { code: number; stdout: string; stderr: string };

export type RunOptions = { input?: string; timeoutMs?: number };

export interface CommandExecutor {
  // argv is passed without a shell locally; over SSH it is quoted for the remote shell.
  run(argv: string[], options?: RunOptions): Promise<CommandResult>;
  close(): Promise<void>;
}

export class CommandTimeoutError extends Error {
  constructor(
    readonly argv0: string,
    readonly timeoutMs: number,
  ) {
    super(`${argv0} did not finish within ${timeoutMs} ms`);
    this.name = "CommandTimeoutError";
  }
}

// POSIX single-quote quoting for the remote shell.
export function shellQuote(arg: string): string {
  if (/^[A-Za-z0-9@%+=:,./_-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}
