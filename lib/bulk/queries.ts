import { prisma } from "@/core/db";
import { can, isStaff, type Principal } from "@/lib/auth/policy";
import { BULK_ACTIONS, bulkAction } from "./bulk-actions";

// Reads of bulk operations: what the progress bar, the result page and the list show. A viewer
// sees only operations whose action their role could start.

export type JobCounts = { waiting: number; running: number; done: number; failed: number };

function visibleActions(viewer: Principal): string[] {
  if (!isStaff(viewer)) return [];
  return Object.entries(BULK_ACTIONS)
    .filter(([, a]) => can(viewer, a.permission))
    .map(([name]) => name);
}

// The jobs the operation's items caused on the servers, by how far they got.
async function serverJobs(operationId: string): Promise<JobCounts> {
  const groups = await prisma.job.groupBy({
    by: ["status"],
    where: { bulkOperationId: operationId },
    _count: { _all: true },
  });
  const of = (s: string) => groups.find((g) => g.status === s)?._count._all ?? 0;
  return {
    waiting: of("PENDING"),
    running: of("RUNNING"),
    done: of("SUCCEEDED"),
    failed: of("FAILED") + of("CANCELLED"),
  };
}

export async function getBulkProgress(id: string, viewer: Principal) {
  const op = await prisma.bulkOperation.findUnique({
    where: { id },
    select: {
      id: true,
      action: true,
      target: true,
      params: true,
      selection: true,
      status: true,
      expandedAt: true,
      total: true,
      done: true,
      skipped: true,
      failed: true,
      cancelled: true,
      retryOfId: true,
      createdAt: true,
      startedAt: true,
      finishedAt: true,
    },
  });
  if (!op || !visibleActions(viewer).includes(op.action)) return null;
  const jobs = await serverJobs(op.id);
  const ended = op.status === "DONE" || op.status === "CANCELLED";
  return {
    ...op,
    label: bulkAction(op.action).label,
    jobs,
    // Finished in Parley and on the servers: nothing is waiting any more.
    settled: ended && jobs.waiting === 0 && jobs.running === 0,
  };
}
export type BulkProgress = NonNullable<Awaited<ReturnType<typeof getBulkProgress>>>;

// The items that did not go through (failed or cancelled), in order, a page at a time.
export async function listBulkProblems(id: string, afterPosition = -1, take = 100) {
  return prisma.bulkItem.findMany({
    where: {
      operationId: id,
      status: { in: ["FAILED", "CANCELLED"] },
      position: { gt: afterPosition },
    },
    orderBy: { position: "asc" },
    take,
    select: { id: true, position: true, subjectId: true, label: true, status: true, error: true },
  });
}

export async function listBulkOperations(viewer: Principal, take = 50) {
  const rows = await prisma.bulkOperation.findMany({
    where: { action: { in: visibleActions(viewer) } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take,
    select: {
      id: true,
      action: true,
      target: true,
      status: true,
      total: true,
      done: true,
      skipped: true,
      failed: true,
      cancelled: true,
      createdAt: true,
      finishedAt: true,
    },
  });
  return rows.map((r) => ({ ...r, label: bulkAction(r.action).label }));
}
