import { subDays } from "date-fns";
import { now } from "@/core/clock";
import { getConfig } from "@/core/config";
import type { JobTypes } from "@/lib/jobs/job-types";
import type { JobHandlers } from "@/provisioning/queue/registry";
import { deleteExpiredRateLimits } from "@/lib/rate-limit/attempts";
import { sweepOutboxLinks } from "@/lib/notifications/send-email";

// Deletes what Parley no longer needs: old audit events, read notifications, sent emails,
// finished jobs (with their steps and runs) and the live evaluations they recorded, rate-limit
// windows that have passed, every one-time link an email no longer needs, and CSV uploads
// nobody imported in time.
export const housekeepingJobs: JobHandlers<JobTypes, "parley.housekeeping"> = {
  "parley.housekeeping": {
    maxAttempts: 3,
    async handle(ctx) {
      const keep = getConfig().recordRetention;
      const at = now();
      const before = (days: number) => ({ lt: subDays(at, days) });
      const [audit, notifications, outbox, jobs, rateLimits, sealed, imports, live] =
        await Promise.all([
          ctx.db.auditEvent.deleteMany({ where: { at: before(keep.auditDays) } }),
          ctx.db.notification.deleteMany({
            where: { readAt: { not: null }, createdAt: before(keep.notificationDays) },
          }),
          ctx.db.outboxEmail.deleteMany({ where: { createdAt: before(keep.outboxDays) } }),
          ctx.db.job.deleteMany({
            where: {
              status: { in: ["SUCCEEDED", "CANCELLED"] },
              finishedAt: before(keep.jobDays),
              id: { not: ctx.jobId },
            },
          }),
          deleteExpiredRateLimits(ctx.db),
          sweepOutboxLinks(ctx.db),
          ctx.db.importBatch.deleteMany({ where: { expiresAt: { lt: at } } }),
          ctx.db.liveEvaluation.deleteMany({ where: { startedAt: before(keep.jobDays) } }),
        ]);
      return {
        auditEvents: audit.count,
        notifications: notifications.count,
        emails: outbox.count,
        jobs: jobs.count,
        rateLimits: rateLimits.count,
        expiredLinks: sealed,
        importBatches: imports.count,
        liveEvaluations: live.count,
      };
    },
  },
};
