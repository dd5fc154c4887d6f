import type { DB } from "@/core/db";

export type ClaimedJob = {
  id: string;
  type: string;
  payload: unknown;
  secretEnc: string | null;
  attempt: number;
  maxAttempts: number;
};

const claimable = (at: Date) => ({
  OR: [
    { status: "PENDING" as const, runAt: { lte: at } },
    // A RUNNING job whose lease ran out: its worker is presumed dead.
    { status: "RUNNING" as const, leaseExpiresAt: { lt: at } },
  ],
});

// Claims up to `limit` due jobs in two statements, the same on SQLite and PostgreSQL.
// The update re-checks claimability row by row, so of several workers racing for a job
// exactly one gets it (the others' update does not match it any more). Claiming increments
// `attempts`, the fencing number every later write of this attempt must match.
export async function claimJobs(
  db: DB,
  workerId: string,
  at: Date,
  leaseMs: number,
  types: string[],
  limit: number,
): Promise<ClaimedJob[]> {
  if (limit < 1) return [];
  const candidates = await db.job.findMany({
    where: { type: { in: types }, ...claimable(at) },
    orderBy: [{ runAt: "asc" }, { createdAt: "asc" }],
    take: limit,
    select: { id: true },
  });
  if (candidates.length === 0) return [];
  const jobs = await db.job.updateManyAndReturn({
    where: { id: { in: candidates.map((c) => c.id) }, ...claimable(at) },
    data: {
      status: "RUNNING",
      attempts: { increment: 1 },
      lockedBy: workerId,
      lockedAt: at,
      leaseExpiresAt: new Date(at.getTime() + leaseMs),
    },
    select: {
      id: true,
      type: true,
      payload: true,
      secretEnc: true,
      attempts: true,
      maxAttempts: true,
    },
  });
  return jobs.map((j) => ({
    id: j.id,
    type: j.type,
    payload: j.payload,
    secretEnc: j.secretEnc,
    attempt: j.attempts,
    maxAttempts: j.maxAttempts,
  }));
}
