import type { JobDefinition } from "@/provisioning/queue/types";
import type { ProvisioningDeps } from "./deps";
import { accountJobs } from "./accounts";
import { roomJobs } from "./rooms";
import { reconcileJobs } from "./reconcile";
import { contactJobs } from "./contacts";
import { housekeepingJobs } from "./housekeeping";
import { complianceJobs } from "./compliance";
import { billingJobs } from "./billing";

export function provisioningJobs(deps: ProvisioningDeps): JobDefinition[] {
  return [...accountJobs(deps), ...roomJobs(deps), ...reconcileJobs(deps), ...contactJobs(deps), ...housekeepingJobs(), ...complianceJobs(deps.encryptionKey), ...billingJobs()] as JobDefinition[];
}
