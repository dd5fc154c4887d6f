import type { JobTypes } from "@/lib/jobs/job-types";
import type { JobHandlers } from "@/provisioning/queue/registry";
import { billingTick } from "./lifecycle";

// Hourly: moves customers along the billing timeline (grace ended, period ended, termination due).
export const billingJobs: JobHandlers<JobTypes, "billing.tick"> = {
  "billing.tick": { maxAttempts: 3, handle: () => billingTick() },
};
