import { addDays, differenceInCalendarDays } from "date-fns";
import { prisma } from "@/core/db";
import { now } from "@/core/clock";
import { getConfig } from "@/core/config";
import { recordAudit } from "@/lib/audit/record-audit";
import { nudgeWorker } from "@/provisioning/queue/nudge";
import { notifyCustomer } from "@/lib/notifications/notify";
import { deprovisionClosedCustomers } from "@/lib/customers/close-customer";
import { setCustomerReason, terminate } from "@/lib/customers/holds";
import { moveCustomer } from "@/lib/customers/move-customer";
import type { CustomerStatus } from "@/generated/sqlite/enums";

// The billing lifecycle, WHMCS-style but enforced on the XMPP servers:
//   active ─ payment fails ─▶ past due ─ grace period ─▶ suspended (accounts get the "billing" reason)
//   suspended/past due ─ paid ─▶ active (the reason is removed; other reasons stay)
//   canceled ─▶ suspended ─ N days ─▶ terminated (accounts and rooms removed, usernames tombstoned)
// One function brings a customer to the state its subscription and the clock call for; it is
// idempotent, so webhooks, the hourly tick and retries can all call it.

export function billingSettings() {
  return getConfig().billing;
}

type Want = "ACTIVE" | "PAST_DUE" | "SUSPENDED" | "TERMINATED";

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

const NOTICES: Record<Want, { title: string; body: (p: BillingPlan) => string } | null> = {
  ACTIVE: {
    title: "Your service is active",
    body: () => "Thank you: your payment went through and every account works again.",
  },
  PAST_DUE: {
    title: "Your payment did not go through",
    body: (p) =>
      `Please update your payment method. Your accounts will be suspended on ${p.suspendAt?.toISOString().slice(0, 10)} if the invoice stays unpaid.`,
  },
  SUSPENDED: {
    title: "Your service is suspended",
    body: (p) =>
      p.terminateAt
        ? `Your accounts cannot sign in. They and their data will be removed on ${p.terminateAt.toISOString().slice(0, 10)} unless you subscribe again.`
        : "Your accounts cannot sign in until the outstanding invoice is paid.",
  },
  TERMINATED: {
    title: "Your service has ended",
    body: () => "Your accounts and rooms have been removed from the server.",
  },
};

export type SyncResult = { from: string; to: string; accountsChanged: number };

// The statuses billing moves a customer between; a closing or ended one follows its own timeline.
const BILLED: readonly CustomerStatus[] = ["PENDING", "ACTIVE", "PAST_DUE", "SUSPENDED"];

// Brings one customer in line with its subscription at `at`. Safe to call any number of times.
// The status is checked again under the customer's lock (moveCustomer): a customer that closed
// after the first read is left alone, not moved back into billing's states.
export async function syncCustomerBilling(
  customerId: string,
  at: Date = now(),
): Promise<SyncResult | null> {
  const customer = await prisma.customer.findUnique({
    where: { id: customerId },
    select: { id: true, status: true, subscription: true },
  });
  if (!customer?.subscription || !BILLED.includes(customer.status)) return null;
  const subscription = customer.subscription;
  const plan = plannedState(subscription, at);
  const result = await prisma.$transaction(async (tx): Promise<SyncResult | null> => {
    if (plan.want === "TERMINATED") {
      const removed = await terminate(tx, customer.id, { from: BILLED, to: "TERMINATED" });
      if (!removed) return null;
      await recordAudit(
        {
          actor: null,
          action: "customer.terminated",
          targetType: "customer",
          targetId: customer.id,
          customerId: customer.id,
          reason: "subscription canceled",
          details: { accounts: removed.accounts, rooms: removed.rooms },
        },
        tx,
      );
      return { from: removed.from, to: plan.want, accountsChanged: removed.accounts };
    }
    const before = await moveCustomer(tx, customer.id, { from: BILLED, to: plan.want });
    if (!before) return null;
    const from = before.status;
    const accountsChanged = await setCustomerReason(
      tx,
      customer.id,
      "billing",
      plan.want === "SUSPENDED",
    );
    if (from !== plan.want) {
      await recordAudit(
        {
          actor: null,
          action: `customer.billing_${plan.want.toLowerCase()}`,
          targetType: "customer",
          targetId: customer.id,
          customerId: customer.id,
          reason: `subscription ${subscription.status.toLowerCase()}`,
          details: { from, to: plan.want, accountsChanged },
        },
        tx,
      );
    }
    return { from, to: plan.want, accountsChanged };
  });
  if (!result) return null;
  const moved = result.from !== result.to;
  if (result.accountsChanged || moved) nudgeWorker();
  if (moved && NOTICES[plan.want]) {
    const notice = NOTICES[plan.want]!;
    await notifyCustomer(customer.id, {
      title: notice.title,
      body: notice.body(plan),
      link: "/portal",
      email: true,
    });
  }
  return result;
}

// Hourly: moves customers along the timeline (grace ended, period ended, termination due) and
// warns portal users a few days before a suspension or a termination.
export async function billingTick(at: Date = now()): Promise<{ synced: number; warned: number }> {
  const subs = await prisma.subscription.findMany({
    where: {
      status: {
        in: ["PAST_DUE", "UNPAID", "INCOMPLETE", "CANCELED", "INCOMPLETE_EXPIRED", "PAUSED"],
      },
      customer: { status: { notIn: ["TERMINATED", "CLOSED"] } },
    },
    select: {
      customerId: true,
      status: true,
      pastDueSince: true,
      canceledAt: true,
      currentPeriodEnd: true,
    },
  });
  let synced = 0;
  let warned = 0;
  // Customers that closed themselves: removed once their grace period is over.
  synced += await deprovisionClosedCustomers(at);
  const { warnDaysBefore } = billingSettings();
  for (const sub of subs) {
    const result = await syncCustomerBilling(sub.customerId, at);
    if (result && result.from !== result.to) synced++;
    const plan = plannedState(sub, at);
    const upcoming =
      plan.want === "PAST_DUE"
        ? plan.suspendAt
        : plan.want === "SUSPENDED"
          ? plan.terminateAt
          : null;
    if (upcoming && differenceInCalendarDays(upcoming, at) === warnDaysBefore) {
      const key = `billing-warning:${sub.customerId}:${upcoming.toISOString().slice(0, 10)}`;
      const already = await prisma.auditEvent.count({
        where: { action: "customer.billing_warning", targetId: sub.customerId, reason: key },
      });
      if (!already) {
        await notifyCustomer(sub.customerId, {
          title:
            plan.want === "PAST_DUE"
              ? "Your service will be suspended soon"
              : "Your accounts will be removed soon",
          body: `On ${upcoming.toISOString().slice(0, 10)} ${plan.want === "PAST_DUE" ? "your accounts will be suspended unless the invoice is paid" : "your accounts, rooms and their data will be removed unless you subscribe again"}.`,
          link: "/portal",
          email: true,
        });
        await recordAudit({
          actor: null,
          action: "customer.billing_warning",
          targetType: "customer",
          targetId: sub.customerId,
          customerId: sub.customerId,
          reason: key,
        });
        warned++;
      }
    }
  }
  return { synced, warned };
}
