import type { DB } from "@/core/db";
import { enqueueJob } from "./enqueue";

export type Schedule = {
  name: string;
  jobType: string;
  payload: Record<string, unknown>;
  intervalSeconds: number;
  firstRunAt?: Date;
};

// Declares a recurring task; an existing one keeps its next run time, unless a shorter interval
// brings it nearer (a run six hours away stays six hours away otherwise).
export async function ensureSchedule(
  db: DB,
  { firstRunAt, ...schedule }: Schedule,
  at: Date,
): Promise<void> {
  await db.scheduledTask.upsert({
    where: { name: schedule.name },
    create: { ...schedule, payload: schedule.payload as never, nextRunAt: firstRunAt ?? at },
    update: {
      jobType: schedule.jobType,
      payload: schedule.payload as never,
      intervalSeconds: schedule.intervalSeconds,
    },
  });
  const soonest = new Date(at.getTime() + schedule.intervalSeconds * 1000);
  await db.scheduledTask.updateMany({
    where: { name: schedule.name, nextRunAt: { gt: soonest } },
    data: { nextRunAt: soonest },
  });
}

// The first slot of the task's grid after `at`. Slots missed while no worker ran are run
// once (the due one), not caught up one by one, and never twice in a row.
export function nextSlot(slot: Date, intervalSeconds: number, at: Date): Date {
  const period = intervalSeconds * 1000;
  const passed = Math.max(0, Math.floor((at.getTime() - slot.getTime()) / period));
  return new Date(slot.getTime() + (passed + 1) * period);
}

// Puts every due task on the queue once per slot. Advancing nextRunAt is a compare-and-set,
// in the same transaction as the enqueue, so of several workers running the scheduler at once
// exactly one enqueues each slot, and a worker that dies in between leaves the slot due.
// The slot's time is also part of the job's idempotency key.
export async function runDueSchedules(db: DB, at: Date): Promise<number> {
  const due = await db.scheduledTask.findMany({ where: { enabled: true, nextRunAt: { lte: at } } });
  let enqueued = 0;
  for (const task of due) {
    const slot = task.nextRunAt;
    const payload = task.payload as Record<string, unknown>;
    const created = await db.$transaction(async (tx) => {
      const advanced = await tx.scheduledTask.updateMany({
        where: { id: task.id, nextRunAt: slot },
        data: { nextRunAt: nextSlot(slot, task.intervalSeconds, at), lastRunAt: at },
      });
      if (advanced.count !== 1) return false;
      const job = await enqueueJob(tx, {
        type: task.jobType,
        payload,
        idempotencyKey: `schedule:${task.name}:${slot.toISOString()}`,
        runAt: at,
        // Server-scoped tasks show up in that server's history.
        serverId: typeof payload.serverId === "string" ? payload.serverId : null,
      });
      return job.created;
    });
    if (created) enqueued++;
  }
  return enqueued;
}
