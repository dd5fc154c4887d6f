import { z } from "zod";
import { prisma } from "@/core/db";
import type { Principal } from "@/lib/auth/policy";
import { Prisma } from "@/generated/sqlite/client";
import { jobsVisibleSql, jobsVisibleTo } from "@/lib/billing/visibility";
import { JOB_TYPES } from "@/lib/jobs/job-types";
import {
  LOG_COUNT_CAP,
  ZListBase,
  cappedCount,
  createdRange,
  looksLikeId,
  readListPage,
  textMatch,
  type KeysetColumn,
} from "@/lib/tables/keyset";

// Reads of the provisioning queue, for the job lists of the console.

export const JOB_STATUSES = ["PENDING", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED"] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
const WAITING: JobStatus[] = ["PENDING", "RUNNING"];

// What a job list row shows: never the payload, result or encrypted secret.
export const JOB_ROW_SELECT = {
  id: true,
  type: true,
  status: true,
  attempts: true,
  maxAttempts: true,
  lastError: true,
  createdAt: true,
  runAt: true,
} as const;

// Every job type, and the families a type filter may name ("account" for account.*).
export const JOB_TYPE_NAMES = Object.keys(JOB_TYPES).sort();
export const JOB_TYPE_FAMILIES = [...new Set(JOB_TYPE_NAMES.map((t) => t.split(".")[0]))];

// The types a filter or search word names: one type, a family, or the types it begins.
// Types are a closed set, so a type "prefix" becomes a list of exact values (IN), which the
// (createdAt, type) index checks without reading the rows.
function typesNamed(word: string): string[] {
  const w = word.toLowerCase();
  if (JOB_TYPE_FAMILIES.includes(w)) return JOB_TYPE_NAMES.filter((t) => t.startsWith(`${w}.`));
  return JOB_TYPE_NAMES.filter((t) => t.startsWith(w));
}

// The console's job list: keyset pages over any filter, sort and search, for one viewer.
// Parse the URL's params with ZJobListParams first.
export const ZJobListParams = ZListBase.extend({
  status: z.enum(JOB_STATUSES).optional().catch(undefined),
  type: z
    .string()
    .trim()
    .max(64)
    .refine((t) => JOB_TYPE_NAMES.includes(t) || JOB_TYPE_FAMILIES.includes(t))
    .optional()
    .catch(undefined),
  server: z.string().trim().min(1).max(64).optional().catch(undefined),
  customer: z.string().trim().min(1).max(64).optional().catch(undefined),
  sort: z.enum(["created", "runAt"]).catch("created"),
});
export type JobListParams = z.infer<typeof ZJobListParams>;

export const JOB_SORTS = {
  created: { field: "createdAt", kind: "value", date: true },
  runAt: { field: "runAt", kind: "value", date: true },
} as const satisfies Record<JobListParams["sort"], KeysetColumn>;

// A search word is a job's or its subject's id (whole: ids are what staff paste), or else the
// start of a type or part of the last error.
export function jobListWhere(params: JobListParams, viewer: Principal) {
  const q = params.q?.trim();
  const types = q ? typesNamed(q) : [];
  return {
    AND: [
      jobsVisibleTo(viewer),
      params.status ? { status: params.status } : {},
      params.type ? { type: { in: typesNamed(params.type) } } : {},
      params.server ? { serverId: params.server } : {},
      params.customer ? { customerId: params.customer } : {},
      // "Runs at" orders the work still to do; finished jobs' times are in the past and many
      // (sorting all 200,000 would be the slowest read of the page).
      params.sort === "runAt" && !params.status ? { status: { in: WAITING } } : {},
      createdRange(params.from, params.to),
      !q
        ? {}
        : looksLikeId(q)
          ? { OR: [{ id: q }, { subjectId: q }] }
          : {
              OR: [
                ...(types.length ? [{ type: { in: types } }] : []),
                { lastError: textMatch(q, params.match) },
              ],
            },
    ],
  };
}

export async function listJobs(viewer: Principal, params: JobListParams) {
  const filter = jobListWhere(params, viewer);
  return readListPage(params, {
    column: JOB_SORTS[params.sort],
    countCap: LOG_COUNT_CAP,
    read: ({ where, ...page }) =>
      prisma.job.findMany({
        ...page,
        where: { AND: [filter, where] },
        select: { ...JOB_ROW_SELECT, subjectId: true, finishedAt: true },
      }),
    sortValue: (r) => (params.sort === "runAt" ? r.runAt : r.createdAt),
    count: (take, orderBy) => prisma.job.count({ where: filter, take, orderBy }),
  });
}

// How many jobs wait, run, failed for good or were cancelled: the few that need a look, each
// counted up to the logs' cap on its (status, createdAt, id) index. Finished work is most of
// the queue; counting it would read every job (45 ms at 200,000 even from an index alone).
export const ATTENTION_STATUSES = ["PENDING", "RUNNING", "FAILED", "CANCELLED"] as const;

export async function countJobsNeedingAttention(viewer: Principal) {
  // One statement for the four counts; the statuses are this module's constants.
  const counts = ATTENTION_STATUSES.map(
    (status) => Prisma.sql`(SELECT count(*) FROM (SELECT 1 FROM "Job"
      WHERE "status" = ${Prisma.raw(`'${status}'`)} ${jobsVisibleSql(viewer)}
      LIMIT ${LOG_COUNT_CAP + 1}) ${Prisma.raw(`c_${status.toLowerCase()}`)})
      AS ${Prisma.raw(`"${status}"`)}`,
  );
  const [row] = await prisma.$queryRaw<Record<string, bigint | number>[]>`SELECT ${Prisma.join(
    counts,
  )}`;
  return ATTENTION_STATUSES.map((status) => ({
    status,
    count: cappedCount(Number(row[status]), LOG_COUNT_CAP),
  }));
}

// The provisioning history of one account or room.
export function listSubjectJobs(subjectId: string) {
  return prisma.job.findMany({
    where: { subjectId },
    orderBy: { createdAt: "desc" },
    take: 20,
    select: JOB_ROW_SELECT,
  });
}

// The latest reconciliations of one server.
export function listServerReconcileJobs(serverId: string) {
  return prisma.job.findMany({
    where: { serverId, type: "server.reconcile" },
    orderBy: { createdAt: "desc" },
    take: 5,
    select: JOB_ROW_SELECT,
  });
}
