import { prisma } from "@/core/db";
import { emailJobs } from "@/lib/notifications/jobs";
import { resetRequestJobs } from "@/lib/notifications/reset-request-jobs";
import { jobDefinitions } from "@/lib/jobs/job-types";
import { Worker } from "@/provisioning/queue/worker";

// Runs the queued reset requests and email.send jobs now, as the console's worker would a
// moment later.
export async function deliverEmails(): Promise<void> {
  const worker = new Worker({
    db: prisma,
    jobs: jobDefinitions({ ...resetRequestJobs, ...emailJobs } as never),
  });
  while (await worker.runOnce());
  await worker.flushRuns();
}
