import type { CommandExecutor } from "./executor";

// Reads a file on the server's machine through its executor (locally or over SSH).

const READ_SCRIPT = 'if [ -e "$1" ]; then cat "$1"; else exit 3; fi';

// null: the file does not exist.
export async function readRemoteFile(
  executor: CommandExecutor,
  path: string,
): Promise<string | null> {
  const result = await executor.run(["sh", "-c", READ_SCRIPT, "sh", path], { timeoutMs: 30_000 });
  if (result.code === 3) return null;
  if (result.code !== 0)
    throw new Error(
      `Could not read ${path}: ${result.stderr.trim().slice(0, 300) || `exit ${result.code}`}`,
    );
  return result.stdout;
}
