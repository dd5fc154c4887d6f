import { subDays } from "date-fns";
import { z } from "zod";
import { now } from "@/core/clock";
import { defineJob } from "@/provisioning/queue/types";

// How long Parley keeps its own records (days). Set by environment; shown on /privacy.
export function recordRetention() {
  const days = (name: string, fallback: number) => {
    const value = Number(process.env[name]);
    return Number.isInteger(value) && value > 0 ? value : fallback;
  };
  return {
    auditDays: days("PARLEY_KEEP_AUDIT_DAYS", 365),
    notificationDays: days("PARLEY_KEEP_NOTIFICATIONS_DAYS", 90),
    outboxDays: days("PARLEY_KEEP_OUTBOX_DAYS", 30),
    jobDays: days("PARLEY_KEEP_JOBS_DAYS", 30),
  };
}

// Deletes what Parley no longer needs: old audit events, read notifications, sent emails and
// finished jobs (with their steps and runs).
export function housekeepingJobs() {
  const housekeeping = defineJob({
    type: "parley.housekeeping",
    schema: z.object({}),
    maxAttempts: 3,
    async handle(ctx) {
      const keep = recordRetention();
      const at = now();
      const [audit, notifications, outbox, jobs] = await Promise.all([
        ctx.db.auditEvent.deleteMany({ where: { at: { lt: subDays(at, keep.auditDays) } } }),
        ctx.db.notification.deleteMany({ where: { readAt: { not: null }, createdAt: { lt: subDays(at, keep.notificationDays) } } }),
        ctx.db.outboxEmail.deleteMany({ where: { createdAt: { lt: subDays(at, keep.outboxDays) } } }),
        ctx.db.job.deleteMany({ where: { status: { in: ["SUCCEEDED", "CANCELLED"] }, finishedAt: { lt: subDays(at, keep.jobDays) }, id: { not: ctx.jobId } } }),
      ]);
      return { auditEvents: audit.count, notifications: notifications.count, emails: outbox.count, jobs: jobs.count };
    },
  });
  return [housekeeping];
}
