// The billing lifecycle's rules without the database: what state a subscription calls for at a
// given time (plannedState), and what of the subscription that answer depends on, so that a
// webhook can tell when the lifecycle sync (lib/billing/lifecycle.ts) would change nothing.
import { addDays } from "date-fns";
import { now } from "@/core/clock";
import { getConfig } from "@/core/config";
import type { CustomerStatus } from "@/generated/sqlite/enums";
import type { Subscription } from "@/generated/sqlite/client";

export function billingSettings() {
  return getConfig().billing;
}

export type Want = "ACTIVE" | "PAST_DUE" | "SUSPENDED" | "TERMINATED";

export type BillingPlan = { want: Want; suspendAt: Date | null; terminateAt: Date | null };

// What the customer's state should be at `at`, from its subscription alone.
export function plannedState(
  sub: {
    status: string;
    pastDueSince: Date | null;
    canceledAt: Date | null;
    currentPeriodEnd: Date | null;
  },
  at: Date,
): BillingPlan {
  const s = billingSettings();
  switch (sub.status) {
    case "TRIALING":
    case "ACTIVE":
      return { want: "ACTIVE", suspendAt: null, terminateAt: null };
    case "PAST_DUE":
    case "UNPAID":
    case "INCOMPLETE": {
      const since = sub.pastDueSince ?? at;
      const suspendAt = addDays(since, s.graceDays);
      return { want: at >= suspendAt ? "SUSPENDED" : "PAST_DUE", suspendAt, terminateAt: null };
    }
    case "PAUSED":
      return { want: "SUSPENDED", suspendAt: at, terminateAt: null };
    case "CANCELED":
    case "INCOMPLETE_EXPIRED": {
      // Service runs to the end of what was paid for, then stops; deletion comes later.
      const end =
        sub.currentPeriodEnd && sub.canceledAt && sub.currentPeriodEnd > sub.canceledAt
          ? sub.currentPeriodEnd
          : (sub.canceledAt ?? at);
      const terminateAt = addDays(end, s.terminateAfterDays);
      return {
        want: at >= terminateAt ? "TERMINATED" : at >= end ? "SUSPENDED" : "ACTIVE",
        suspendAt: end,
        terminateAt,
      };
    }
    default:
      return { want: "ACTIVE", suspendAt: null, terminateAt: null };
  }
}

// The subscription fields plannedState reads for a status, besides the status itself (keep in
// step with it; tests/unit/lifecycle-inputs.test.ts checks that no other field changes its answer).
export type LifecycleField = "pastDueSince" | "canceledAt" | "currentPeriodEnd";
export function lifecycleFields(status: string): readonly LifecycleField[] {
  switch (status) {
    case "PAST_DUE":
    case "UNPAID":
    case "INCOMPLETE":
      return ["pastDueSince"];
    case "CANCELED":
    case "INCOMPLETE_EXPIRED":
      return ["canceledAt", "currentPeriodEnd"];
    default:
      return [];
  }
}

// Everything syncCustomerBilling (lib/billing/lifecycle.ts) reads, and how a webhook that just
// wrote the subscription knows the sync would change nothing:
//  - the subscription's status and the fields plannedState reads for that status
//    (lifecycleFields); not the price (the plan follows it in applySubscriptionChange), nor
//    cancelAtPeriodEnd or lastEventCreated. A write that changes one of them sets
//    Subscription.lifecycleDue, and only a sync that brought the customer in line with the values
//    still on the row clears it (lib/billing/lifecycle-writes.ts);
//  - the customer's status (the BILLED check and the move), compared with what plannedState asks
//    for now, which covers the clock and the billing settings (grace and termination days) too;
//  - the billing reason on the customer's accounts, which the sync sets or lifts together with
//    the status, so they agree while the flag is clear (a reason staff added by hand stays until
//    the next sync that runs; a sync that could not run, e.g. while the customer was closing,
//    leaves the flag set).
// So the sync is skipped when the flag is clear and the status is what plannedState asks for.
export type LifecycleInputs = Pick<Subscription, "status" | LifecycleField>;

// What a webhook's subscription write saw, in the same statement (lib/billing/events/write-subscription.ts).
export type LifecycleSeen = {
  inputs: LifecycleInputs;
  lifecycleDue: boolean;
  customerStatus: CustomerStatus;
};

export function lifecycleSyncNeeded(seen: LifecycleSeen, at: Date = now()): boolean {
  return seen.lifecycleDue || plannedState(seen.inputs, at).want !== seen.customerStatus;
}

// The subscription as the sync decides on it: what a later write must leave unchanged for the
// sync's result to still hold.
export function decidedOn(sub: LifecycleInputs): Partial<LifecycleInputs> {
  const fields: Partial<LifecycleInputs> = { status: sub.status };
  for (const f of lifecycleFields(sub.status)) fields[f] = sub[f];
  return fields;
}
