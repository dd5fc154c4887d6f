import { readdirSync, readFileSync } from "node:fs";

// Every running process's /proc/<pid>/stat (Linux): its command name and the fields after it,
// numbered from 0 = state (so ppid is 1, pgrp 2, utime 11, stime 12). With `dir`
// "/proc/self/task": this process's threads instead (pid is then the thread's id).
export type ProcStat = { pid: number; comm: string; fields: string[] };

export function procStats(dir = "/proc"): ProcStat[] {
  const stats: ProcStat[] = [];
  for (const name of readdirSync(dir)) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`${dir}/${name}/stat`, "utf8");
    } catch {
      continue; // gone since the listing
    }
    // pid (comm) state ...: comm may hold spaces and parentheses, so split after the last ")".
    const close = stat.lastIndexOf(")");
    stats.push({
      pid: Number(name),
      comm: stat.slice(stat.indexOf("(") + 1, close),
      fields: stat.slice(close + 2).split(" "),
    });
  }
  return stats;
}
