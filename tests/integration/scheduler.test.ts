import { describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { prisma, type DB } from "@/core/db";
import { ensureSchedule, runDueSchedules } from "@/provisioning/queue/scheduler";
import { ensureServerSchedules } from "@/lib/jobs/schedules";

// Scheduled work fires exactly once per period whatever the number of workers running the
// scheduler (each with its own connections, as separate processes would have), also after all
// workers were down for a while, and a worker dying between its two writes loses no slot.

const MINUTE = 60_000;
const t0 = new Date("2027-03-01T00:00:00Z");
const at = (ms: number) => new Date(t0.getTime() + ms);

async function newSchedule(intervalSeconds = 60) {
  const name = `every-${randomBytes(4).toString("hex")}`;
  await ensureSchedule(prisma, { name, jobType: "noop", payload: {}, intervalSeconds }, t0);
  return name;
}

async function slotsOf(name: string): Promise<number[]> {
  const jobs = await prisma.job.findMany({
    where: { idempotencyKey: { startsWith: `schedule:${name}:` } },
    select: { idempotencyKey: true },
  });
  return jobs
    .map(
      (j) =>
        (new Date(j.idempotencyKey!.slice(`schedule:${name}:`.length)).getTime() - t0.getTime()) /
        MINUTE,
    )
    .sort((a, b) => a - b);
}

describe("scheduled work with several workers", () => {
  it("four schedulers ticking with skewed clocks for 30 minutes enqueue each minute once", async () => {
    const name = await newSchedule();
    let total = 0;
    // Every 20 s, four workers whose clocks differ by up to 3 s run the scheduler at once.
    for (let tick = 0; tick <= 90; tick++) {
      const counts = await Promise.all(
        [0, 700, 1_900, 3_000].map((skew) => runDueSchedules(prisma, at(tick * 20_000 + skew))),
      );
      total += counts.reduce((a, b) => a + b, 0);
    }
    const slots = await slotsOf(name);
    expect(slots).toEqual(Array.from({ length: 31 }, (_, i) => i));
    expect(total).toBe(31);
  });

  it("after every worker was down for three and a half periods, runs once and returns to its grid", async () => {
    const name = await newSchedule();
    expect(await runDueSchedules(prisma, t0)).toBe(1);
    expect(await runDueSchedules(prisma, at(3.5 * MINUTE))).toBe(1);
    // Not due again a second later: the missed periods are not run one after another.
    expect(await runDueSchedules(prisma, at(3.5 * MINUTE + 1_000))).toBe(0);
    expect(await runDueSchedules(prisma, at(4 * MINUTE))).toBe(1);
    expect(await slotsOf(name)).toEqual([0, 1, 4]);
  });

  it("a worker that fails between advancing the schedule and enqueueing leaves the slot due", async () => {
    const name = await newSchedule();
    // The real database, with the job insert failing as if the process died at that point.
    const dying = new Proxy(prisma, {
      get(target, property) {
        if (property !== "$transaction") return Reflect.get(target, property);
        return (fn: (tx: DB) => Promise<unknown>) =>
          prisma.$transaction((tx) =>
            fn(
              new Proxy(tx, {
                get: (t, p) =>
                  p === "job"
                    ? {
                        findUnique: t.job.findUnique.bind(t.job),
                        create: () => Promise.reject(new Error("killed")),
                      }
                    : Reflect.get(t, p),
              }) as DB,
            ),
          );
      },
    }) as DB;
    await expect(runDueSchedules(dying, t0)).rejects.toThrow("killed");
    const task = await prisma.scheduledTask.findUniqueOrThrow({ where: { name } });
    expect(task.nextRunAt).toEqual(t0);
    expect(await runDueSchedules(prisma, at(2_000))).toBe(1);
    expect(await slotsOf(name)).toEqual([0]);
  });

  it("a shorter interval brings a distant next run nearer; a longer one keeps it", async () => {
    const name = `reconcile-${randomBytes(4).toString("hex")}`;
    const declare = (intervalSeconds: number, when: Date) =>
      ensureSchedule(
        prisma,
        { name, jobType: "noop", payload: {}, intervalSeconds, firstRunAt: at(6 * 60 * MINUTE) },
        when,
      );
    const next = async () =>
      (await prisma.scheduledTask.findUniqueOrThrow({ where: { name } })).nextRunAt;
    await declare(6 * 3600, t0);
    expect(await next()).toEqual(at(6 * 60 * MINUTE));
    await declare(600, at(MINUTE));
    expect(await next()).toEqual(at(11 * MINUTE));
    await declare(6 * 3600, at(2 * MINUTE));
    expect(await next()).toEqual(at(11 * MINUTE));
  });

  it("each server's drift check runs every PARLEY_RECONCILE_INTERVAL_SECONDS", async () => {
    const server = await prisma.server.create({
      data: { name: `ej-${randomBytes(3).toString("hex")}`, kind: "EJABBERD", domain: "s.test" },
    });
    const task = () =>
      prisma.scheduledTask.findUniqueOrThrow({ where: { name: `reconcile:${server.id}` } });
    const before = process.env.PARLEY_RECONCILE_INTERVAL_SECONDS;
    try {
      delete process.env.PARLEY_RECONCILE_INTERVAL_SECONDS;
      await ensureServerSchedules(prisma, t0);
      expect(await task()).toMatchObject({ intervalSeconds: 21_600, nextRunAt: t0 });
      expect(await runDueSchedules(prisma, t0)).toBeGreaterThanOrEqual(1);
      process.env.PARLEY_RECONCILE_INTERVAL_SECONDS = "30";
      await ensureServerSchedules(prisma, at(MINUTE));
      expect(await task()).toMatchObject({ intervalSeconds: 30, nextRunAt: at(1.5 * MINUTE) });
    } finally {
      if (before === undefined) delete process.env.PARLEY_RECONCILE_INTERVAL_SECONDS;
      else process.env.PARLEY_RECONCILE_INTERVAL_SECONDS = before;
    }
  });

  it("servers with an address and a port to probe are evaluated live every 6 hours; others are not", async () => {
    const [probed, plain] = await Promise.all(
      [{ xmppHost: "127.0.0.1", s2sPort: 5269 }, { xmppHost: "127.0.0.1" }].map((live) =>
        prisma.server.create({
          data: {
            name: `ej-${randomBytes(3).toString("hex")}`,
            kind: "EJABBERD",
            domain: "s.test",
            ...live,
          },
        }),
      ),
    );
    await ensureServerSchedules(prisma, t0);
    expect(
      await prisma.scheduledTask.findUnique({ where: { name: `evaluate:${probed.id}` } }),
    ).toMatchObject({ jobType: "server.evaluate", intervalSeconds: 21_600, nextRunAt: t0 });
    expect(
      await prisma.scheduledTask.findUnique({ where: { name: `evaluate:${plain.id}` } }),
    ).toBeNull();
  });
});
