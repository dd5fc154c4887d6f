import { z } from "zod";
import { defineJob } from "@/provisioning/queue/types";

// Hourly: moves customers along the billing timeline (grace ended, period ended, termination due).
export function billingJobs() {
  const tick = defineJob({
    type: "billing.tick",
    schema: z.object({}),
    maxAttempts: 3,
    async handle() {
      const { billingTick } = await import("@/lib/billing/lifecycle");
      return billingTick();
    },
  });
  const sync = defineJob({
    type: "billing.sync",
    schema: z.object({ customerId: z.string().min(1) }),
    async handle(ctx) {
      const { syncCustomerBilling } = await import("@/lib/billing/lifecycle");
      return syncCustomerBilling(ctx.payload.customerId);
    },
  });
  return [tick, sync];
}
