import { prisma } from "@/core/db";
import type { Principal } from "@/lib/auth/policy";
import { jobsVisibleTo } from "@/lib/billing/visibility";

// Reads of the provisioning queue, for the job lists of the console.

export const JOB_STATUSES = ["PENDING", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED"] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

// What a job list row shows.
const JOB_ROW_SELECT = {
  id: true,
  type: true,
  status: true,
  attempts: true,
  maxAttempts: true,
  lastError: true,
  createdAt: true,
  runAt: true,
} as const;

// The newest 100 jobs the viewer may see (billing jobs for billing readers only), optionally
// of one status.
export function listJobs(viewer: Principal, filter: { status?: JobStatus } = {}) {
  return prisma.job.findMany({
    where: { ...jobsVisibleTo(viewer), ...(filter.status ? { status: filter.status } : {}) },
    orderBy: { createdAt: "desc" },
    take: 100,
    select: JOB_ROW_SELECT,
  });
}

// How many jobs there are of each status, and in all.
export type JobCounts = { byStatus: Partial<Record<JobStatus, number>>; total: number };

export async function countJobsByStatus(viewer: Principal): Promise<JobCounts> {
  const groups = await prisma.job.groupBy({
    by: ["status"],
    where: jobsVisibleTo(viewer),
    _count: { _all: true },
  });
  const byStatus: Partial<Record<JobStatus, number>> = {};
  for (const g of groups) byStatus[g.status] = g._count._all;
  return { byStatus, total: groups.reduce((n, g) => n + g._count._all, 0) };
}

export function countWaitingJobs(viewer: Principal): Promise<number> {
  return prisma.job.count({
    where: { ...jobsVisibleTo(viewer), status: { in: ["PENDING", "RUNNING"] } },
  });
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
