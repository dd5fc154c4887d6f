import { accountJobs } from "@/lib/accounts/jobs";
import { contactJobs } from "@/lib/accounts/contact-jobs";
import { billingJobs } from "@/lib/billing/jobs";
import { bulkJobs } from "@/lib/bulk/run-bulk";
import { complianceJobs } from "@/lib/compliance/jobs";
import { evaluationJobs } from "@/lib/evaluation/jobs";
import { housekeepingJobs } from "@/lib/housekeeping/jobs";
import { emailJobs } from "@/lib/notifications/jobs";
import { resetRequestJobs } from "@/lib/notifications/reset-request-jobs";
import { roomJobs } from "@/lib/rooms/jobs";
import { reconcileJobs } from "@/lib/servers/reconcile-job";
import type { JobHandlers } from "@/provisioning/queue/registry";
import type { JobDefinition } from "@/provisioning/queue/types";
import type { AdapterSource } from "./adapter-source";
import { jobDefinitions, type JobTypes } from "./job-types";

// Every job type with its handler: a type without one is a compile error here.
export function allJobs(pool: AdapterSource): JobDefinition[] {
  // Bound, so handlers may take adapterFor out of it.
  const source: AdapterSource = { adapterFor: (serverId) => pool.adapterFor(serverId) };
  const handlers: JobHandlers<JobTypes> = {
    ...accountJobs(source),
    ...contactJobs(source),
    ...roomJobs(source),
    ...reconcileJobs(source),
    ...complianceJobs(),
    ...evaluationJobs(source),
    ...billingJobs,
    ...housekeepingJobs,
    ...emailJobs,
    ...resetRequestJobs,
    ...bulkJobs,
  };
  return jobDefinitions(handlers);
}
