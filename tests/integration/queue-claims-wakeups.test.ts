import { afterEach, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { z } from "zod";
import { prisma } from "@/core/db";
import { claimJobs } from "@/provisioning/queue/claim";
import { enqueueJob, enqueueJobs } from "@/provisioning/queue/enqueue";
import { LISTEN_APPLICATION_NAME } from "@/provisioning/queue/listen";
import { defineJob } from "@/provisioning/queue/types";
import { Worker } from "@/provisioning/queue/worker";

const db = process.env.PARLEY_TEST_DB;
const tag = () => randomBytes(4).toString("hex");
const started: Worker[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((w) => w.stop()));
});

describe(`claims (${db})`, () => {
  it("30 claimers at once over 200 jobs: each gets a full batch, every job is claimed once", async () => {
    const type = `race-${tag()}`;
    await enqueueJobs(
      prisma,
      Array.from({ length: 200 }, (_, i) => ({ type, payload: { i } })),
    );
    const round = () =>
      Promise.all(
        Array.from({ length: 30 }, (_, k) =>
          claimJobs(prisma, `claimer-${k}`, new Date(), 60_000, [type], 5),
        ),
      );
    const first = await round();
    // 150 of 200: nobody came back short, as a claimer that queued behind another's rows would.
    expect(first.map((batch) => batch.length)).toEqual(Array(30).fill(5));
    const second = await round();
    const all = [...first, ...second].flat();
    expect(all).toHaveLength(200);
    expect(new Set(all.map((j) => j.id)).size).toBe(200);
    expect(all.every((j) => j.attempt === 1)).toBe(true);

    const rows = await prisma.job.findMany({
      where: { type },
      select: { id: true, status: true, attempts: true, lockedBy: true },
    });
    const claimer = new Map(
      [...first, ...second].flatMap((batch, k) => batch.map((j) => [j.id, `claimer-${k % 30}`])),
    );
    expect(rows.every((r) => r.status === "RUNNING" && r.attempts === 1)).toBe(true);
    expect(rows.every((r) => r.lockedBy === claimer.get(r.id))).toBe(true);
  });
});

// PostgreSQL only: row locks, LISTEN/NOTIFY.
describe.runIf(db === "postgres")("claims and wake-ups on PostgreSQL", () => {
  const connect = async () => {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    return client;
  };

  const noop = (type: string, ran: number[]) =>
    defineJob({
      type,
      schema: z.object({}),
      async handle() {
        ran.push(Date.now());
      },
    });

  function sleepyWorker(jobs: Parameters<typeof defineJob>[0][], extra = {}) {
    // Polls once a minute: within a test only a notification can wake it.
    const worker = new Worker({ db: prisma, jobs, concurrency: 2, pollMs: 60_000, ...extra });
    started.push(worker);
    worker.start();
    return worker;
  }
  const settle = () => new Promise((r) => setTimeout(r, 300));

  it("a claimer passes over a row another transaction holds instead of waiting for it", async () => {
    const type = `locked-${tag()}`;
    const older = await enqueueJob(prisma, {
      type,
      payload: {},
      runAt: new Date(Date.now() - 60_000),
    });
    const newer = await enqueueJob(prisma, { type, payload: {} });
    const holder = await connect();
    try {
      await holder.query("BEGIN");
      await holder.query(`SELECT 1 FROM "Job" WHERE "id" = $1 FOR UPDATE`, [older.id]);
      const claimed = await Promise.race([
        claimJobs(prisma, "passer", new Date(), 60_000, [type], 1),
        new Promise<"blocked">((r) => setTimeout(() => r("blocked"), 3_000)),
      ]);
      expect(claimed).not.toBe("blocked");
      expect((claimed as { id: string }[]).map((j) => j.id)).toEqual([newer.id]);
    } finally {
      await holder.query("ROLLBACK");
      await holder.end();
    }
  });

  it("a new job wakes a sleeping worker at once (NOTIFY), not at its next poll", async () => {
    const type = `notify-${tag()}`;
    const ran: number[] = [];
    const worker = sleepyWorker([noop(type, ran)]);
    await expect.poll(() => worker.listening).toBe(true);
    await settle(); // its claims found nothing: it sleeps for a minute
    const enqueuedAt = Date.now();
    await enqueueJob(prisma, { type, payload: {} });
    await expect.poll(() => ran.length, { timeout: 5_000 }).toBe(1);
    expect(ran[0] - enqueuedAt).toBeLessThan(2_000);
  });

  it("a listening worker wakes for a retry when its backoff ends, not at its next poll", async () => {
    const type = `retry-${tag()}`;
    const ran: number[] = [];
    const flaky = defineJob({
      type,
      schema: z.object({}),
      async handle() {
        ran.push(Date.now());
        if (ran.length === 1) throw new Error("server busy");
      },
    });
    const worker = sleepyWorker([flaky], {
      pollMs: 1_000,
      listenPollMs: 60_000,
      backoff: () => 800,
    });
    await expect.poll(() => worker.listening).toBe(true);
    await enqueueJob(prisma, { type, payload: {} });
    await expect.poll(() => ran.length, { timeout: 6_000 }).toBe(2);
    expect(ran[1] - ran[0]).toBeGreaterThanOrEqual(700);
    expect(ran[1] - ran[0]).toBeLessThan(3_000);
  });

  it("the LISTEN connection comes back after the server kills it", async () => {
    const type = `relisten-${tag()}`;
    const ran: number[] = [];
    const worker = sleepyWorker([noop(type, ran)]);
    await expect.poll(() => worker.listening).toBe(true);
    const admin = await connect();
    const listeners = async () =>
      (
        await admin.query<{ pid: number }>(
          `SELECT pid FROM pg_stat_activity
            WHERE application_name = $1 AND datname = current_database()`,
          [LISTEN_APPLICATION_NAME],
        )
      ).rows.map((r) => r.pid);
    try {
      const [first] = await listeners();
      expect(first).toBeDefined();
      await admin.query("SELECT pg_terminate_backend($1)", [first]);
      // Gone, and one new LISTEN connection in its place.
      await expect
        .poll(async () => (await listeners()).filter((pid) => pid !== first).length, {
          timeout: 5_000,
        })
        .toBe(1);
      expect(await listeners()).not.toContain(first);
      await expect.poll(() => worker.listening).toBe(true);
      await settle();
      const enqueuedAt = Date.now();
      await enqueueJob(prisma, { type, payload: {} });
      await expect.poll(() => ran.length, { timeout: 5_000 }).toBe(1);
      expect(ran[0] - enqueuedAt).toBeLessThan(2_000);
    } finally {
      await admin.end();
    }
  });
});
