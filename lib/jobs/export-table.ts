import { prisma } from "@/core/db";
import { JOB_ROW_SELECT, JOB_SORTS, ZJobListParams, jobListWhere } from "@/lib/jobs/queries";
import { csvTable } from "@/lib/tables/csv-export";

// The job list as CSV (lib/tables/csv-export.ts): the same params and filter as /console/jobs,
// whose where leaves billing jobs out for viewers without billing (jobsVisibleTo). What the
// list shows, never a job's payload, result or encrypted secret.
export const jobsCsv = csvTable({
  permission: "jobs.read",
  params: ZJobListParams,
  sorts: JOB_SORTS,
  where: (params, viewer) => jobListWhere(params, viewer),
  read: (batch) =>
    prisma.job.findMany({
      ...batch,
      select: {
        ...JOB_ROW_SELECT,
        subjectId: true,
        customerId: true,
        serverId: true,
        finishedAt: true,
      },
    }),
  columns: [
    { header: "id", value: (r) => r.id },
    { header: "type", value: (r) => r.type },
    { header: "status", value: (r) => r.status },
    { header: "attempts", value: (r) => r.attempts },
    { header: "maxAttempts", value: (r) => r.maxAttempts },
    { header: "subjectId", value: (r) => r.subjectId },
    { header: "customerId", value: (r) => r.customerId },
    { header: "serverId", value: (r) => r.serverId },
    { header: "createdAt", value: (r) => r.createdAt },
    { header: "runAt", value: (r) => r.runAt },
    { header: "finishedAt", value: (r) => r.finishedAt },
    { header: "lastError", value: (r) => r.lastError },
  ],
});
