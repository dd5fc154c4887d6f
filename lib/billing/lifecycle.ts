import { differenceInCalendarDays } from "date-fns";
import { prisma, sqlOf } from "@/core/db";
import { prismaRunner } from "@/core/sql";
import { now } from "@/core/clock";
import { recordAudit, recordAuditSql, type AuditInput } from "@/lib/audit/record-audit";
import { nudgeWorker } from "@/provisioning/queue/nudge";
import { notifyCustomer } from "@/lib/notifications/notify";
import { deprovisionClosedCustomers } from "@/lib/customers/close-customer";
import { holdWouldChange, setCustomerReason, terminate } from "@/lib/customers/holds";
import { moveCustomer } from "@/lib/customers/move-customer";
import type { CustomerStatus } from "@/generated/sqlite/enums";
import { lockCustomer } from "@/lib/accounts/account-slot";
import { markLifecycleDone, moveIfUnchanged } from "@/lib/billing/lifecycle-writes";
import {
  billingSettings,
  plannedState,
  type BillingPlan,
  type LifecycleInputs,
  type LifecycleSeen,
  type Want,
} from "@/lib/billing/planned-state";

// The billing lifecycle, WHMCS-style but enforced on the XMPP servers:
//   active ─ payment fails ─▶ past due ─ grace period ─▶ suspended (accounts get the "billing" reason)
//   suspended/past due ─ paid ─▶ active (the reason is removed; other reasons stay)
//   canceled ─▶ suspended ─ N days ─▶ terminated (accounts and rooms removed, usernames tombstoned)
// One function brings a customer to the state its subscription and the clock call for; it is
// idempotent, so webhooks, the hourly tick and retries can all call it.

export { billingSettings, plannedState, type BillingPlan };

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

type Tx = Parameters<Parameters<typeof prisma.$transaction>[0]>[0];
type Done = { result: SyncResult; plan: BillingPlan; decided: LifecycleInputs };

// The sync under the customer's lock, on the subscription as read under that lock.
async function syncLocked(tx: Tx, customerId: string, at: Date): Promise<Done | null> {
  const customer = await lockCustomer(tx, customerId);
  if (!BILLED.includes(customer.status)) return null;
  const decided = await tx.subscription.findUnique({
    where: { customerId },
    select: { status: true, pastDueSince: true, canceledAt: true, currentPeriodEnd: true },
  });
  if (!decided) return null;
  const plan = plannedState(decided, at);
  if (plan.want === "TERMINATED") {
    const removed = await terminate(tx, customer, { from: BILLED, to: "TERMINATED" });
    if (!removed) return null;
    await recordAudit(
      {
        actor: null,
        action: "customer.terminated",
        targetType: "customer",
        targetId: customerId,
        customerId,
        reason: "subscription canceled",
        details: { accounts: removed.accounts, rooms: removed.rooms },
      },
      tx,
    );
    return {
      result: { from: removed.from, to: plan.want, accountsChanged: removed.accounts },
      plan,
      decided,
    };
  }
  const before = await moveCustomer(tx, customer, { from: BILLED, to: plan.want });
  if (!before) return null;
  const suspend = plan.want === "SUSPENDED";
  const accountsChanged = await setCustomerReason(tx, customer, "billing", suspend);
  return { result: { from: before.status, to: plan.want, accountsChanged }, plan, decided };
}

const moved = ({ result }: Done) => result.from !== result.to;

// The audit row of a move (termination writes its own).
function moveAudit(customerId: string, { result, plan, decided }: Done): AuditInput {
  return {
    actor: null,
    action: `customer.billing_${plan.want.toLowerCase()}`,
    targetType: "customer",
    targetId: customerId,
    customerId,
    reason: `subscription ${decided.status.toLowerCase()}`,
    details: { from: result.from, to: plan.want, accountsChanged: result.accountsChanged },
  };
}

// Thrown inside the fast path's transaction to roll it back and take the locked path.
const LOCKED_PATH = Symbol("take the locked path");

// The sync decided on what a webhook's write just returned, in one driver-level transaction: the
// guarded move (moveIfUnchanged, which takes the customer's row lock), its audit row and the flag
// cleared. null when that no longer holds, or when an account's billing reason must change too
// (the locked path enqueues their jobs): nothing is written then.
async function syncSeen(customerId: string, seen: LifecycleSeen, at: Date): Promise<Done | null> {
  try {
    return await sqlOf(prisma).transaction(async (tx) => {
      const plan = await moveIfUnchanged(tx, customerId, seen, at);
      if (!plan) return null;
      if (await holdWouldChange(tx, customerId, "billing", plan.want === "SUSPENDED"))
        throw LOCKED_PATH;
      const from = seen.customerStatus;
      const done = {
        result: { from, to: plan.want, accountsChanged: 0 },
        plan,
        decided: seen.inputs,
      };
      if (moved(done)) await recordAuditSql(tx, moveAudit(customerId, done));
      await markLifecycleDone(tx, customerId, done.decided);
      return done;
    });
  } catch (error) {
    if (error === LOCKED_PATH) return null;
    throw error;
  }
}

// Brings one customer in line with its subscription at `at`. Safe to call any number of times.
// The customer is locked before its subscription is read: two syncs of one customer run one
// after the other, and each decides on the subscription as it is then, so a sync that started
// before a newer webhook's write can never store the older state last. The status is checked
// under the lock too (moveCustomer): a customer that closed meanwhile is left alone.
// `seen`: what a webhook's subscription write just returned. Its common moves are then made by
// one guarded statement (syncSeen) that holds only while all of it is still true; any other
// case, or a change meanwhile, takes the locked path.
export async function syncCustomerBilling(
  customerId: string,
  at: Date = now(),
  seen?: LifecycleSeen,
): Promise<SyncResult | null> {
  const status =
    seen?.customerStatus ??
    (await prisma.customer.findUnique({ where: { id: customerId }, select: { status: true } }))
      ?.status;
  if (!status || !BILLED.includes(status)) return null;
  const done =
    (seen && (await syncSeen(customerId, seen, at))) ||
    (await prisma.$transaction(async (tx): Promise<Done | null> => {
      const done = await syncLocked(tx, customerId, at);
      if (!done) return null;
      if (moved(done) && done.plan.want !== "TERMINATED")
        await recordAudit(moveAudit(customerId, done), tx);
      await markLifecycleDone(prismaRunner(tx), customerId, done.decided);
      return done;
    }));
  if (!done) return null;
  const { result, plan } = done;
  if (result.accountsChanged || moved(done)) nudgeWorker();
  if (moved(done) && NOTICES[plan.want]) {
    const notice = NOTICES[plan.want]!;
    await notifyCustomer(customerId, {
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
