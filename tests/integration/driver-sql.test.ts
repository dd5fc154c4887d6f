import { describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { prisma, sqlOf } from "@/core/db";
import { newId } from "@/core/ids";
import { date, type SqlRunner } from "@/core/sql";

const db = process.env.PARLEY_TEST_DB;
const tag = () => randomBytes(4).toString("hex");

describe(`driver-level SQL (${db})`, () => {
  it("reads and writes what Prisma reads and writes: numbered parameters, JSON, times", async () => {
    const sql = sqlOf(prisma);
    const at = new Date("2027-03-04T05:06:07.089Z");
    const job = await prisma.job.create({
      data: { type: `sql-${tag()}`, payload: { n: 1, s: "ü" }, runAt: at },
    });
    // $2 before $1 in the text: each is bound by number, not by position.
    const rows = await sql.query<{ id: string; payload: unknown; due: number }>(
      `SELECT "id", "payload", CASE WHEN "runAt" = $2 THEN 1 ELSE 0 END AS "due"
        FROM "Job" WHERE "id" = $1`,
      [job.id, sql.time(at)],
    );
    expect(rows.map((r) => [r.id, sql.json(r.payload), Number(r.due)])).toEqual([
      [job.id, { n: 1, s: "ü" }, 1],
    ]);
    const later = new Date(at.getTime() + 1_000);
    expect(
      await sql.execute(`UPDATE "Job" SET "runAt" = $1, "result" = $2 WHERE "id" = $3`, [
        sql.time(later),
        JSON.stringify({ ok: ["a"] }),
        job.id,
      ]),
    ).toBe(1);
    const row = await prisma.job.findUniqueOrThrow({ where: { id: job.id } });
    expect([row.runAt.toISOString(), row.result]).toEqual([later.toISOString(), { ok: ["a"] }]);
  });

  it.runIf(db === "sqlite")(
    "waits for a Prisma transaction that holds the write lock instead of blocking on it",
    async () => {
      const job = await prisma.job.create({ data: { type: `lock-${tag()}`, payload: {} } });
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let written!: () => void;
      const wrote = new Promise<void>((r) => (written = r));
      const transaction = prisma.$transaction(async (tx) => {
        await tx.job.update({ where: { id: job.id }, data: { lastError: "from the transaction" } });
        written();
        await held; // the write lock is held across this await
      });
      await wrote;
      const started = Date.now();
      const direct = sqlOf(prisma).execute(
        `UPDATE "Job" SET "lastError" = 'from the driver' WHERE "id" = $1`,
        [job.id],
      );
      // The event loop still runs (a busy wait would freeze it for the 10 s busy timeout).
      await new Promise((r) => setTimeout(r, 200));
      release();
      await transaction;
      expect(await direct).toBe(1);
      expect(Date.now() - started).toBeLessThan(3_000);
      expect((await prisma.job.findUniqueOrThrow({ where: { id: job.id } })).lastError).toBe(
        "from the driver",
      );
    },
  );

  it("reads timestamps as the UTC instants Prisma wrote", async () => {
    const at = new Date("2027-01-02T03:04:05.678Z");
    const job = await prisma.job.create({ data: { type: `t-${tag()}`, payload: {}, runAt: at } });
    const [row] = await sqlOf(prisma).query<{ runAt: unknown }>(
      `SELECT "runAt" FROM "Job" WHERE "id" = $1`,
      [job.id],
      true,
    );
    expect(date(row.runAt)?.toISOString()).toBe(at.toISOString());
  });

  it("commits a transaction that returns and rolls back one that throws", async () => {
    const sql = sqlOf(prisma);
    const [kept, dropped] = [`kept-${tag()}`, `dropped-${tag()}`];
    const insert = (run: SqlRunner, type: string) =>
      run.execute(
        `INSERT INTO "Job" ("id", "type", "payload", "runAt", "createdAt") VALUES ($1, $2, $3, $4, $4)`,
        [newId(), type, "{}", new Date()],
      );
    expect(await sql.transaction(async (tx) => insert(tx, kept))).toBe(1);
    await expect(
      sql.transaction(async (tx) => {
        await insert(tx, dropped);
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    const types = (await prisma.job.findMany({ where: { type: { in: [kept, dropped] } } })).map(
      (j) => j.type,
    );
    expect(types).toEqual([kept]);
  });

  it("runs tens of concurrent transactions on one counter without losing an increment", async () => {
    const sql = sqlOf(prisma);
    const job = await prisma.job.create({ data: { type: `n-${tag()}`, payload: {}, attempts: 0 } });
    await Promise.all(
      Array.from({ length: 40 }, () =>
        sql.transaction(async (tx) => {
          const [row] = await tx.query<{ attempts: number }>(
            `SELECT "attempts" FROM "Job" WHERE "id" = $1 ${sql.dialect === "postgres" ? "FOR UPDATE" : ""}`,
            [job.id],
          );
          await new Promise((r) => setTimeout(r, 1)); // read, wait, write
          await tx.execute(`UPDATE "Job" SET "attempts" = $1 WHERE "id" = $2`, [
            Number(row.attempts) + 1,
            job.id,
          ]);
        }),
      ),
    );
    expect((await prisma.job.findUniqueOrThrow({ where: { id: job.id } })).attempts).toBe(40);
  });

  it.runIf(db === "sqlite")(
    "makes Prisma's statements wait for an open direct transaction instead of blocking on it",
    async () => {
      const job = await prisma.job.create({ data: { type: `wait-${tag()}`, payload: {} } });
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let wrote!: () => void;
      const written = new Promise<void>((r) => (wrote = r));
      const transaction = sqlOf(prisma).transaction(async (tx) => {
        await tx.execute(`UPDATE "Job" SET "lastError" = 'direct' WHERE "id" = $1`, [job.id]);
        wrote();
        await held; // the write lock is held across this await
      });
      await written;
      const started = Date.now();
      const viaPrisma = prisma.job.update({ where: { id: job.id }, data: { lastError: "prisma" } });
      const ticks = await new Promise<number>((resolve) => {
        let n = 0;
        const timer = setInterval(() => n++, 10);
        setTimeout(() => (clearInterval(timer), resolve(n)), 200);
      });
      expect(ticks).toBeGreaterThan(5); // the event loop kept running
      release();
      await transaction;
      await viaPrisma;
      expect(Date.now() - started).toBeLessThan(3_000);
      expect((await prisma.job.findUniqueOrThrow({ where: { id: job.id } })).lastError).toBe(
        "prisma",
      );
    },
  );
});
