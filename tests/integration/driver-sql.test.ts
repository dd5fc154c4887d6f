import { describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { prisma, sqlOf } from "@/core/db";

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
});
