import type { DB } from "@/core/db";
import { enqueueJob } from "./enqueue";

export type Schedule = {
  name: string;
  jobType: string;
  payload: Record<string, unknown>;
  intervalSeconds: number;
  firstRunAt?: Date;
};

// Declares a recurring task; an existing one keeps its next run time.
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
}

// Puts every due task on the queue once per slot. The slot's time is part of the job's
// idempotency key, and advancing nextRunAt is a compare-and-set, so several workers
// running the scheduler at once enqueue each run exactly once.
export async function runDueSchedules(db: DB, at: Date): Promise<number> {
  const due = await db.scheduledTask.findMany({ where: { enabled: true, nextRunAt: { lte: at } } });
  let enqueued = 0;
  for (const task of due) {
    const slot = task.nextRunAt;
    const next = new Date(Math.max(slot.getTime() + task.intervalSeconds * 1000, at.getTime()));
    const advanced = await db.scheduledTask.updateMany({
      where: { id: task.id, nextRunAt: slot },
      data: { nextRunAt: next, lastRunAt: at },
    });
    if (advanced.count !== 1) continue;
    const { created } = await enqueueJob(db, {
      type: task.jobType,
      payload: task.payload as Record<string, unknown>,
      idempotencyKey: `schedule:${task.name}:${slot.toISOString()}`,
      runAt: at,
      // Server-scoped tasks show up in that server's history.
      serverId:
        typeof (task.payload as { serverId?: unknown }).serverId === "string"
          ? (task.payload as { serverId: string }).serverId
          : null,
    });
    if (created) enqueued++;
  }
  return enqueued;
}
