import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";

// Samples this process's CPU (V8's profiler, in process) and sums self time per part of the
// stack: Prisma's client and query interpreter, the database driver, fetch (undici), Parley's
// own code, and so on. Native code (SQLite's C, crypto) counts for the JS function that called it.
type ProfileNode = {
  id: number;
  callFrame: { functionName: string; url: string };
  hitCount?: number;
  children?: number[];
};
type Profile = { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[] };

const PARTS: [string, RegExp][] = [
  [
    "Prisma client + query interpreter",
    /@prisma\/client|query-plan-executor|client-runtime-utils|\/generated\//,
  ],
  ["Prisma driver adapter", /@prisma\/adapter-|driver-adapter-utils|async-mutex/],
  ["pg driver", /\/node_modules\/(pg|pg-protocol|pg-types|pg-pool|postgres-\w+|pgpass)\//],
  ["libsql (SQLite, runs here)", /@libsql|\/libsql\//],
  ["fetch (undici)", /undici/],
  ["zod", /\/zod\//],
  ["Parley: queue", /\/provisioning\/queue\//],
  ["Parley: handler, adapter", /\/(lib|provisioning|core)\//],
  ["bench", /\/bench\//],
  ["node: net, streams, timers", /^node:/],
];

function partOf(url: string): string | undefined {
  if (!url) return undefined;
  return PARTS.find(([, re]) => re.test(url))?.[0] ?? "other JS";
}

export async function profileCpu(): Promise<{ stop(): Promise<Map<string, number>> }> {
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 200 });
  await session.post("Profiler.start");
  return {
    async stop() {
      const { profile } = (await session.post("Profiler.stop")) as { profile: Profile };
      session.disconnect();
      // For Chrome DevTools or any .cpuprofile reader: the stacks behind each part.
      if (process.env.PROFILE_OUT) writeFileSync(process.env.PROFILE_OUT, JSON.stringify(profile));
      return summarize(profile);
    },
  };
}

// Milliseconds of self time per part; a native frame inherits its caller's part.
function summarize(profile: Profile): Map<string, number> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const msPerSample = (profile.endTime - profile.startTime) / 1000 / profile.samples.length;
  const totals = new Map<string, number>();
  for (const n of profile.nodes) {
    if (!n.hitCount) continue;
    const name = n.callFrame.functionName;
    let part: string | undefined;
    if (name === "(idle)") continue;
    if (name === "(garbage collector)") part = "garbage collector";
    else if (name === "(program)") part = "(program: V8, libuv)";
    for (let id: number | undefined = n.id; !part && id !== undefined; id = parent.get(id))
      part = partOf(byId.get(id)!.callFrame.url);
    part ??= "other";
    totals.set(part, (totals.get(part) ?? 0) + n.hitCount * msPerSample);
  }
  if (process.env.PROFILE_TOP) {
    const self = new Map<string, number>();
    for (const n of profile.nodes) {
      if (!n.hitCount) continue;
      const k = `${n.callFrame.functionName} ${n.callFrame.url.replace(/.*node_modules\//, "")}`;
      self.set(k, (self.get(k) ?? 0) + n.hitCount * msPerSample);
    }
    for (const [k, ms] of [...self]
      .sort((a, b) => b[1] - a[1])
      .slice(0, Number(process.env.PROFILE_TOP)))
      console.error(`${ms.toFixed(0).padStart(6)} ms  ${k}`);
  }
  return totals;
}
