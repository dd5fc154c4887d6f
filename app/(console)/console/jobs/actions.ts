"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { defineAction } from "@/lib/actions/define-action";
import { requires } from "@/lib/auth/require";
import { cancelJobByHand, retryJobByHand } from "@/lib/jobs/manage-jobs";

const ZJobId = z.object({ jobId: z.string().min(1) });

export const retryJobAction = defineAction({
  schema: ZJobId,
  authorize: requires("jobs.manage"),
  async run(input, user) {
    await retryJobByHand(input.jobId, user);
    revalidatePath("/console/jobs");
    return { ok: true, message: "Queued again." };
  },
});

export const cancelJobAction = defineAction({
  schema: ZJobId,
  authorize: requires("jobs.manage"),
  async run(input, user) {
    await cancelJobByHand(input.jobId, user);
    revalidatePath("/console/jobs");
    return { ok: true, message: "Cancelled." };
  },
});
