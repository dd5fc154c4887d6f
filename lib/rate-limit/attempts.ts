import { createHmac, hkdfSync } from "node:crypto";
import { prisma } from "@/core/db";
import { now } from "@/core/clock";
import { encryptionKey } from "@/core/secrets";

// Limits attempts per scope and key (an invite or reset token, an email, a chat address, a
// customer id) in the database, so every console and worker process shares one count. The key
// is stored only as a keyed hash; the hash key is derived from the encryption key that every
// process already has, so all processes agree on it and a copy of the database alone cannot
// test guesses against it. No client address is involved at all. Expired windows are deleted
// by the daily housekeeping job.

let derived: { from: Buffer; key: Buffer } | undefined;

function hashKey(): Buffer {
  const from = encryptionKey();
  if (derived?.from !== from)
    derived = { from, key: Buffer.from(hkdfSync("sha256", from, "", "parley rate limits", 32)) };
  return derived.key;
}

export function rateLimitKey(scope: string, key: string): string {
  return createHmac("sha256", hashKey()).update(`${scope}\0${key}`).digest("base64url");
}

// Counts this attempt and says whether it is within the limit. One INSERT … ON CONFLICT DO
// UPDATE … RETURNING (SQLite and PostgreSQL alike), so parallel attempts from any number of
// processes never read the same count.
export async function allowAttempt(
  scope: string,
  key: string,
  limit: number,
  windowMs: number,
): Promise<boolean> {
  const at = BigInt(now().getTime());
  const ends = at + BigInt(windowMs);
  const rows = await prisma.$queryRaw<{ count: number | bigint }[]>`
    INSERT INTO "RateLimit" ("keyHash", "count", "windowEnds")
    VALUES (${rateLimitKey(scope, key)}, 1, ${ends})
    ON CONFLICT ("keyHash") DO UPDATE SET
      "count" = CASE WHEN "RateLimit"."windowEnds" <= ${at} THEN 1
                     ELSE "RateLimit"."count" + 1 END,
      "windowEnds" = CASE WHEN "RateLimit"."windowEnds" <= ${at} THEN excluded."windowEnds"
                          ELSE "RateLimit"."windowEnds" END
    RETURNING "count"`;
  return Number(rows[0]?.count ?? Infinity) <= limit;
}

// Windows that have passed; the housekeeping job deletes them.
export function deleteExpiredRateLimits(db: Pick<typeof prisma, "rateLimit"> = prisma) {
  return db.rateLimit.deleteMany({ where: { windowEnds: { lte: BigInt(now().getTime()) } } });
}
