"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { defineAction } from "@/lib/actions/define-action";
import { requireRolePermission } from "@/lib/auth/require";
import { AppError } from "@/core/errors";
import { prisma } from "@/core/db";
import { recordAudit } from "@/lib/audit/record-audit";
import { cancelJob, retryJob } from "@/provisioning/queue/manage";
import { nudgeWorker } from "@/provisioning/queue/nudge";

const ZJobId = z.object({ jobId: z.string().min(1) });

export const retryJobAction = defineAction({
  schema: ZJobId,
  authorize: requireRolePermission("jobs.manage"),
  async run(input, user) {
    if (!(await retryJob(prisma, input.jobId))) throw new AppError("conflict", "Only failed or cancelled jobs can be retried.");
    await recordAudit({ actor: user, action: "job.retried", targetType: "job", targetId: input.jobId });
    nudgeWorker();
    revalidatePath("/console/jobs");
    return { ok: true, message: "Queued again." };
  },
});

export const cancelJobAction = defineAction({
  schema: ZJobId,
  authorize: requireRolePermission("jobs.manage"),
  async run(input, user) {
    if (!(await cancelJob(prisma, input.jobId))) throw new AppError("conflict", "This job already finished.");
    await recordAudit({ actor: user, action: "job.cancelled", targetType: "job", targetId: input.jobId });
    revalidatePath("/console/jobs");
    return { ok: true, message: "Cancelled." };
  },
});
