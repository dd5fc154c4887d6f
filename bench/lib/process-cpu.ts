import { procStats, type ProcStat } from "../../tests/helpers/proc-stat";

// CPU used so far by the running processes that `which` picks, from /proc (Linux): user +
// system time in ms. A process that exits between two readings takes its time along, so
// compare readings around work done over long-lived connections (a database pool).
const TICK_MS = 10; // USER_HZ is 100 on Linux

const cpuMs = (stat: ProcStat) => (Number(stat.fields[11]) + Number(stat.fields[12])) * TICK_MS; // utime, stime

export function cpuMsOf(which: (process: ProcStat) => boolean): number {
  let ms = 0;
  for (const stat of procStats()) if (which(stat)) ms += cpuMs(stat);
  return ms;
}

// This process's CPU split into its main thread ("main") and the others by name (Node's own
// threads, V8's compiler and GC helpers among them, are all called "node") until the returned
// function is called.
export function startThreadWindow(): () => Map<string, number> {
  const read = () => {
    const byName = new Map<string, number>();
    for (const t of procStats("/proc/self/task")) {
      const name = t.pid === process.pid ? "main" : `other ${t.comm}`;
      byName.set(name, (byName.get(name) ?? 0) + cpuMs(t));
    }
    return byName;
  };
  const before = read();
  return () => {
    const after = read();
    for (const [name, ms] of after) after.set(name, ms - (before.get(name) ?? 0));
    return after;
  };
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
