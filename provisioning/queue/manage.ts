import type { DB } from "@/core/db";
import { now } from "@/core/clock";

// Cancelling a running job also fences its worker out: its result no longer matches.
export async function cancelJob(db: DB, id: string): Promise<boolean> {
  const r = await db.job.updateMany({
    where: { id, status: { in: ["PENDING", "RUNNING", "FAILED"] } },
    data: { status: "CANCELLED", finishedAt: now(), secretEnc: null, leaseExpiresAt: null },
  });
  return r.count === 1;
}

// A dead or cancelled job gets a fresh set of attempts; its fencing number keeps counting up.
// (A job whose secret was wiped cannot be retried: the handler fails it with a clear message.)
export async function retryJob(db: DB, id: string, extraAttempts = 5): Promise<boolean> {
  const job = await db.job.findUnique({ where: { id }, select: { status: true, attempts: true } });
  if (!job || !["FAILED", "CANCELLED"].includes(job.status)) return false;
  const r = await db.job.updateMany({
    where: { id, status: job.status, attempts: job.attempts },
    data: {
      status: "PENDING",
      runAt: now(),
      maxAttempts: job.attempts + extraAttempts,
      finishedAt: null,
    },
  });
  return r.count === 1;
}
