import type { DB } from "@/lib/db";

export type ClaimedJob = {
  id: string;
  type: string;
  payload: unknown;
  secretEnc: string | null;
  attempt: number;
  maxAttempts: number;
};

// Compare-and-set claim that works the same on SQLite and PostgreSQL: a job is taken only
// if its status and attempt number are still what this worker read. Of several workers
// racing for one job exactly one update matches; the others move on to the next candidate.
// A RUNNING job whose lease expired is claimable again (its worker is presumed dead).
// Only job types this worker knows are claimed, so an older or partial worker leaves others alone.
export async function claimNext(db: DB, workerId: string, at: Date, leaseMs: number, types: string[]): Promise<ClaimedJob | null> {
  const candidates = await db.job.findMany({
    where: {
      type: { in: types },
      OR: [
        { status: "PENDING", runAt: { lte: at } },
        { status: "RUNNING", leaseExpiresAt: { lt: at } },
      ],
    },
    orderBy: [{ runAt: "asc" }, { createdAt: "asc" }],
    take: 8,
    select: { id: true, status: true, attempts: true },
  });
  // Start at a random candidate so concurrent workers rarely collide.
  const offset = candidates.length ? Math.floor(Math.random() * Math.min(candidates.length, 4)) : 0;
  for (let i = 0; i < candidates.length; i++) {
    const c = candidates[(i + offset) % candidates.length];
    const taken = await db.job.updateMany({
      where: { id: c.id, status: c.status, attempts: c.attempts },
      data: { status: "RUNNING", attempts: c.attempts + 1, lockedBy: workerId, lockedAt: at, leaseExpiresAt: new Date(at.getTime() + leaseMs) },
    });
    if (taken.count !== 1) continue;
    const job = await db.job.findUniqueOrThrow({ where: { id: c.id }, select: { id: true, type: true, payload: true, secretEnc: true, attempts: true, maxAttempts: true } });
    return { id: job.id, type: job.type, payload: job.payload, secretEnc: job.secretEnc, attempt: job.attempts, maxAttempts: job.maxAttempts };
  }
  return null;
}
