import { procStats } from "../../tests/helpers/proc-stat";

// CPU used so far by the running processes whose command name matches, from /proc (Linux):
// user + system time in ms. A process that exits between two readings takes its time along,
// so compare readings around work done over long-lived connections (a database pool).
const TICK_MS = 10; // USER_HZ is 100 on Linux

export function processCpuMs(command: RegExp): number {
  let ticks = 0;
  for (const { comm, fields } of procStats())
    if (command.test(comm)) ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
  return ticks * TICK_MS;
}

// CPU of this process, ejabberd (beam.smp) and PostgreSQL's processes from now until the
// returned function is called, in ms. On two cores the three share, every millisecond the
// database or Parley spends is one ejabberd cannot use.
export type CpuSplit = { node: number; ejabberd: number; postgres: number };

export function startCpuWindow(): () => CpuSplit {
  const read = () => ({
    ejabberd: processCpuMs(/^beam\.smp$/),
    postgres: processCpuMs(/^postgres$/),
  });
  const before = read();
  const node = process.cpuUsage();
  return () => {
    const d = process.cpuUsage(node);
    const after = read();
    return {
      node: (d.user + d.system) / 1000,
      ejabberd: after.ejabberd - before.ejabberd,
      postgres: after.postgres - before.postgres,
    };
  };
}
