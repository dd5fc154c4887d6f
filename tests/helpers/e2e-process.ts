import type { SpawnOptions } from "node:child_process";
import { startProcess, waitFor, type Started } from "../harness/processes";
import { procStats } from "./proc-stat";

// A process started as the leader of its own process group (detached), so that
// everything it spawns (npm → sh → node scripts/start.mjs → next build / next start)
// can be stopped together by the group id — still by id, never by name.
const liveGroups = new Set<number>();
let hooked = false;

function hookExit() {
  if (hooked) return;
  hooked = true;
  process.on("exit", () => {
    for (const pgid of liveGroups) {
      try {
        process.kill(-pgid, "SIGKILL");
      } catch {
        /* group already gone */
      }
    }
  });
}

// Live (non-zombie) members of a process group, read from /proc: orphans re-parented to
// a PID 1 that does not reap would otherwise look alive to kill(-pgid, 0) forever.
export function groupMembers(pgid: number): number[] {
  return procStats()
    .filter(({ fields }) => Number(fields[2]) === pgid && fields[0] !== "Z" && fields[0] !== "X")
    .map(({ pid }) => pid);
}

export function groupAlive(pgid: number): boolean {
  return groupMembers(pgid).length > 0;
}

export type StartedGroup = Started & {
  pgid: number;
  stopGroup: (timeoutMs?: number) => Promise<void>;
};

export function startGroup(
  command: string,
  args: string[],
  options: SpawnOptions & { name: string },
): StartedGroup {
  hookExit();
  const started = startProcess(command, args, { ...options, detached: true });
  const pgid = started.child.pid;
  if (!pgid) throw new Error(`${options.name}: could not start ${command}`);
  liveGroups.add(pgid);
  const exited = new Promise<void>((resolve) => {
    if (started.child.exitCode !== null || started.child.signalCode !== null) resolve();
    else started.child.once("exit", () => resolve());
  });
  return {
    ...started,
    pgid,
    // SIGTERM to the whole group, SIGKILL after the timeout; returns once no member is left.
    async stopGroup(timeoutMs = 10_000) {
      if (groupAlive(pgid)) {
        try {
          process.kill(-pgid, "SIGTERM");
        } catch {
          /* gone */
        }
        try {
          await waitFor(
            async () => !groupAlive(pgid),
            `process group ${pgid} (${options.name}) to exit`,
            timeoutMs,
            50,
          );
        } catch {
          try {
            process.kill(-pgid, "SIGKILL");
          } catch {
            /* gone */
          }
          await waitFor(
            async () => !groupAlive(pgid),
            `process group ${pgid} (${options.name}) to die after SIGKILL`,
            5_000,
            50,
          );
        }
      }
      await exited;
      liveGroups.delete(pgid);
    },
  };
}
