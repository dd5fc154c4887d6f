import { procStats, type ProcStat } from "../../tests/helpers/proc-stat";

// CPU used so far by the running processes that `which` picks, from /proc (Linux): user +
// system time in ms. A process that exits between two readings takes its time along, so
// compare readings around work done over long-lived connections (a database pool).
const TICK_MS = 10; // USER_HZ is 100 on Linux

export function cpuMsOf(which: (process: ProcStat) => boolean): number {
  let ticks = 0;
  for (const stat of procStats())
    if (which(stat)) ticks += Number(stat.fields[11]) + Number(stat.fields[12]); // utime, stime
  return ticks * TICK_MS;
}

const commandCpuMs = (command: RegExp) => cpuMsOf(({ comm }) => command.test(comm));

// CPU of this process, ejabberd (beam.smp) and PostgreSQL's processes (every one on the
// machine: run nothing else beside a benchmark) from now until the returned function is
// called, in ms. On two cores the three share, every millisecond the database or Parley
// spends is one ejabberd cannot use.
// `nodeSystem`: the part of `node` spent in the kernel.
export type CpuSplit = { node: number; nodeSystem: number; ejabberd: number; postgres: number };

export function startCpuWindow(): () => CpuSplit {
  const read = () => ({
    ejabberd: commandCpuMs(/^beam\.smp$/),
    postgres: commandCpuMs(/^postgres$/),
  });
  const before = read();
  const node = process.cpuUsage();
  return () => {
    const d = process.cpuUsage(node);
    const after = read();
    return {
      node: (d.user + d.system) / 1000,
      nodeSystem: d.system / 1000,
      ejabberd: after.ejabberd - before.ejabberd,
      postgres: after.postgres - before.postgres,
    };
  };
}
