import { prisma } from "@/core/db";
import { AppError } from "@/core/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { cancelJob, retryJob } from "@/provisioning/queue/manage";
import { nudgeWorker } from "@/provisioning/queue/nudge";

type Actor = { id: string; email: string };

// Staff give a failed or cancelled job another set of attempts.
export async function retryJobByHand(jobId: string, actor: Actor): Promise<void> {
  if (!(await retryJob(prisma, jobId))) {
    throw new AppError("conflict", "Only failed or cancelled jobs can be retried.");
  }
  await recordAudit({ actor, action: "job.retried", targetType: "job", targetId: jobId });
  nudgeWorker();
}

export async function cancelJobByHand(jobId: string, actor: Actor): Promise<void> {
  if (!(await cancelJob(prisma, jobId))) {
    throw new AppError("conflict", "This job already finished.");
  }
  await recordAudit({ actor, action: "job.cancelled", targetType: "job", targetId: jobId });
}
