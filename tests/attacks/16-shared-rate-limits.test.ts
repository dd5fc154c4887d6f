import { describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { promisify } from "node:util";
import { addMinutes } from "date-fns";
import { prisma } from "@/core/db";
import { resetClock, setClock } from "@/core/clock";
import { allowAttempt, deleteExpiredRateLimits } from "@/lib/rate-limit/attempts";

const ROOT = path.resolve(__dirname, "../..");
const run = promisify(execFile);

// One more console process on the same database and secrets as this test.
async function hammer(scope: string, key: string, limit: number, attempts: number) {
  const { stdout } = await run(
    process.execPath,
    [
      path.join(ROOT, "scripts/run-ts.mjs"),
      "tests/attacks/support/hammer-rate-limit.ts",
      scope,
      key,
      String(limit),
      String(attempts),
    ],
    { cwd: ROOT, env: process.env, timeout: 60_000 },
  );
  return (JSON.parse(stdout.trim().split("\n").at(-1)!) as { allowed: number }).allowed;
}

describe("11.16 rate limits shared across processes", () => {
  it("two console processes and this one hammering one limit get at most the limit in total", async () => {
    const key = `victim-${randomBytes(4).toString("hex")}@parley.test`;
    const limit = 25;
    const [a, b, here] = await Promise.all([
      hammer("console-reset", key, limit, 60),
      hammer("console-reset", key, limit, 60),
      Promise.all(
        Array.from({ length: 60 }, () =>
          Promise.resolve(allowAttempt("console-reset", key, limit, 10 * 60_000)),
        ),
      ).then((r) => r.filter(Boolean).length),
    ]);
    expect(a + b + here).toBe(limit);
  }, 90_000);

  it("stores only keyed hashes, opens a new window when one passes, and housekeeping deletes old ones", async () => {
    const key = `someone-${randomBytes(4).toString("hex")}@parley.test`;
    expect(await allowAttempt("console-reset", key, 1, 60_000)).toBe(true);
    expect(await allowAttempt("console-reset", key, 1, 60_000)).toBe(false);
    const rows = await prisma.rateLimit.findMany();
    expect(
      JSON.stringify(rows, (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v)),
    ).not.toContain(key);
    try {
      setClock(() => addMinutes(new Date(), 2));
      expect(await allowAttempt("console-reset", key, 1, 60_000)).toBe(true);
      setClock(() => addMinutes(new Date(), 15));
      expect((await deleteExpiredRateLimits()).count).toBeGreaterThan(0);
      expect(await prisma.rateLimit.count()).toBe(0);
    } finally {
      resetClock();
    }
  });
});
