import { prisma } from "@/core/db";
import { now } from "@/core/clock";

// Figures that cost a table scan at scale (counts per status, server, plan and day), shared by
// every console process through the CachedFigure table. A figure that took less than
// LIVE_BELOW_MS to compute last time is computed on every view, so a small install always sees
// live numbers. A slower one is served from the table for up to `maxAgeMs`; once older, the
// view still gets the stored value at once while one process (holding a lease row update)
// recomputes it in the background. Pages say "as of" whenever a value came from the table.

export const LIVE_BELOW_MS = 25;
// How old a cached count of rows per server or plan may get before it is recounted.
export const COUNTS_MAX_AGE_MS = 60_000;
const LEASE_MS = 60_000;

export type Figure<T> = { value: T; computedAt: Date; cached: boolean };

type Spec<T> = {
  key: string;
  maxAgeMs: number;
  compute: () => Promise<T>;
  // JSON has no dates: turn the stored value back into T.
  revive: (json: unknown) => T;
};

// Background refreshes still running in this process (tests and benchmarks wait on them).
const refreshing = new Set<Promise<void>>();

export async function settleRefreshes(): Promise<void> {
  while (refreshing.size) await Promise.allSettled([...refreshing]);
}

// `stored`: the row's compute time, if any. A figure that stays cheap is not written again on
// every view; one that became costly is stored so the next views can use it.
async function computeAndStore<T>(spec: Spec<T>, stored?: number): Promise<Figure<T>> {
  const started = performance.now();
  const value = await spec.compute();
  const computeMs = Math.round(performance.now() - started);
  const computedAt = now();
  if (stored !== undefined && stored < LIVE_BELOW_MS && computeMs < LIVE_BELOW_MS)
    return { value, computedAt, cached: false };
  const data = { value: JSON.stringify(value), computedAt, computeMs, refreshingUntil: null };
  await prisma.cachedFigure
    .upsert({ where: { key: spec.key }, create: { key: spec.key, ...data }, update: data })
    .catch((error: unknown) => {
      // Two first views stored at once: the other's value is as fresh as this one.
      if ((error as { code?: string }).code !== "P2002") throw error;
    });
  return { value, computedAt, cached: false };
}

// Only the process whose update matched takes the lease: the others keep serving the old value.
async function takeLease(key: string, computedAt: Date): Promise<boolean> {
  const at = now();
  const { count } = await prisma.cachedFigure.updateMany({
    where: {
      key,
      computedAt,
      OR: [{ refreshingUntil: null }, { refreshingUntil: { lt: at } }],
    },
    data: { refreshingUntil: new Date(at.getTime() + LEASE_MS) },
  });
  return count === 1;
}

function refreshInBackground<T>(spec: Spec<T>) {
  const run = computeAndStore(spec).then(
    () => undefined,
    async (error: unknown) => {
      console.error(`[parley] could not refresh ${spec.key}:`, error);
      // Let the next view try again instead of waiting out the lease.
      await prisma.cachedFigure
        .updateMany({ where: { key: spec.key }, data: { refreshingUntil: null } })
        .catch(() => undefined);
    },
  );
  refreshing.add(run);
  void run.finally(() => refreshing.delete(run));
}

export async function readFigure<T>(spec: Spec<T>): Promise<Figure<T>> {
  const row = await prisma.cachedFigure.findUnique({ where: { key: spec.key } });
  if (!row || row.computeMs < LIVE_BELOW_MS) return computeAndStore(spec, row?.computeMs);
  const figure = { value: spec.revive(JSON.parse(row.value)), computedAt: row.computedAt };
  if (now().getTime() - row.computedAt.getTime() > spec.maxAgeMs) {
    if (await takeLease(spec.key, row.computedAt)) refreshInBackground(spec);
  }
  return { ...figure, cached: true };
}
