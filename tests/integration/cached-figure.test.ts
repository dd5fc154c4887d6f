import { afterEach, describe, expect, it } from "vitest";
import { prisma } from "@/core/db";
import { resetClock, setClock } from "@/core/clock";
import { LIVE_BELOW_MS, readFigure, settleRefreshes } from "@/lib/stats/cached-figure";

// The shared figure cache on the real database: cheap figures stay live, costly ones are
// served from the table and refreshed by exactly one caller once stale, whatever the
// concurrency; a failed refresh keeps the old value and lets the next view try again.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let n = 0;
const key = () => `test:${Date.now().toString(36)}:${n++}`;

// A figure whose computation takes `ms` and counts its calls; `value` says what it returns.
function figure(k: string, ms: number, value: () => number | Promise<number> = () => 1) {
  const calls = { n: 0 };
  return {
    calls,
    spec: {
      key: k,
      maxAgeMs: 30_000,
      compute: async () => {
        calls.n++;
        await sleep(ms);
        return { total: await value(), at: new Date("2026-01-02T03:04:05.000Z") };
      },
      revive: (json: unknown) => {
        const j = json as { total: number; at: string };
        return { total: j.total, at: new Date(j.at) };
      },
    },
  };
}

afterEach(async () => {
  await settleRefreshes();
  resetClock();
});

describe("cached figures", () => {
  it("computes a cheap figure on every view and writes its row once", async () => {
    const k = key();
    let total = 0;
    const { spec, calls } = figure(k, 0, () => ++total);
    const first = await readFigure(spec);
    const second = await readFigure(spec);
    expect([first.value.total, second.value.total]).toEqual([1, 2]);
    expect([first.cached, second.cached]).toEqual([false, false]);
    expect(calls.n).toBe(2);
    const row = await prisma.cachedFigure.findUniqueOrThrow({ where: { key: k } });
    expect(row.computeMs).toBeLessThan(LIVE_BELOW_MS);
    // The stored value is the first one: a cheap figure is not rewritten on every view.
    expect(JSON.parse(row.value).total).toBe(1);
  });

  it("serves a costly figure from the table, with its date revived", async () => {
    const { spec, calls } = figure(key(), LIVE_BELOW_MS + 10);
    const first = await readFigure(spec);
    const second = await readFigure(spec);
    expect(first.cached).toBe(false);
    expect(second).toMatchObject({ cached: true, value: { total: 1 } });
    expect(second.value.at).toBeInstanceOf(Date);
    expect(second.value.at.toISOString()).toBe("2026-01-02T03:04:05.000Z");
    expect(second.computedAt.getTime()).toBe(first.computedAt.getTime());
    expect(calls.n).toBe(1);
  });

  it("refreshes a stale figure once for 30 parallel views, which all get the old value at once", async () => {
    let total = 10;
    const { spec, calls } = figure(key(), LIVE_BELOW_MS + 10, () => total);
    await readFigure(spec);
    total = 20;
    const later = new Date(Date.now() + 31_000);
    setClock(() => later);
    const views = await Promise.all(Array.from({ length: 30 }, () => readFigure(spec)));
    expect(views.every((v) => v.cached && v.value.total === 10)).toBe(true);
    await settleRefreshes();
    expect(calls.n).toBe(2);
    const fresh = await readFigure(spec);
    expect(fresh).toMatchObject({ cached: true, value: { total: 20 } });
    expect(fresh.computedAt.getTime()).toBe(later.getTime());
  });

  it("keeps the old value when a refresh fails and lets the next view try again", async () => {
    let fail = false;
    const { spec, calls } = figure(key(), LIVE_BELOW_MS + 10, () => {
      if (fail) throw new Error("database went away");
      return 7;
    });
    await readFigure(spec);
    fail = true;
    setClock(() => new Date(Date.now() + 31_000));
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void errors.push(args);
    try {
      expect((await readFigure(spec)).value.total).toBe(7);
      await settleRefreshes();
    } finally {
      console.error = original;
    }
    expect(errors).toHaveLength(1);
    const row = await prisma.cachedFigure.findUniqueOrThrow({ where: { key: spec.key } });
    expect(row.refreshingUntil).toBeNull();
    fail = false;
    await readFigure(spec);
    await settleRefreshes();
    expect(calls.n).toBe(3);
    expect((await readFigure(spec)).value.total).toBe(7);
  });

  it("leaves a stale figure to the process holding the lease", async () => {
    const { spec, calls } = figure(key(), LIVE_BELOW_MS + 10);
    await readFigure(spec);
    const later = new Date(Date.now() + 31_000);
    await prisma.cachedFigure.update({
      where: { key: spec.key },
      data: { refreshingUntil: new Date(later.getTime() + 10_000) },
    });
    setClock(() => later);
    await readFigure(spec);
    await settleRefreshes();
    expect(calls.n).toBe(1);
  });
});
