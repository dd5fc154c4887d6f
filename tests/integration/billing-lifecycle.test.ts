import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { addDays } from "date-fns";
import { prisma } from "@/core/db";
import { resetClock, setClock } from "@/core/clock";
import { billingTick, plannedState, syncCustomerBilling } from "@/lib/billing/lifecycle";
import { changeSuspension } from "@/lib/accounts/manage-account";
import { parseReasons } from "@/provisioning/suspension";
import { createWorld, type World } from "../helpers/fixtures";

let w: World;
const t0 = new Date("2027-03-01T12:00:00Z");

beforeEach(async () => {
  w = await createWorld();
  setClock(() => t0);
});
afterEach(() => resetClock());

async function subscription(data: {
  status: "ACTIVE" | "PAST_DUE" | "CANCELED" | "TRIALING";
  pastDueSince?: Date;
  canceledAt?: Date;
  currentPeriodEnd?: Date;
}) {
  return prisma.subscription.upsert({
    where: { customerId: w.customerId },
    create: { customerId: w.customerId, stripeSubscriptionId: `sub_${w.customerId}`, ...data },
    update: { pastDueSince: null, canceledAt: null, ...data },
  });
}
const reasons = async () =>
  parseReasons(
    (await prisma.xmppAccount.findUniqueOrThrow({ where: { id: w.accountId } })).suspensionReasons,
  );
const status = async () =>
  (await prisma.customer.findUniqueOrThrow({ where: { id: w.customerId } })).status;

describe("billing lifecycle", () => {
  it("plans every subscription status", () => {
    const base = { pastDueSince: null, canceledAt: null, currentPeriodEnd: null };
    expect(plannedState({ ...base, status: "TRIALING" }, t0).want).toBe("ACTIVE");
    expect(
      plannedState({ ...base, status: "PAST_DUE", pastDueSince: t0 }, addDays(t0, 6)).want,
    ).toBe("PAST_DUE");
    expect(plannedState({ ...base, status: "UNPAID", pastDueSince: t0 }, addDays(t0, 7)).want).toBe(
      "SUSPENDED",
    );
    expect(plannedState({ ...base, status: "PAUSED" }, t0).want).toBe("SUSPENDED");
    expect(
      plannedState(
        { ...base, status: "CANCELED", canceledAt: t0, currentPeriodEnd: addDays(t0, 10) },
        addDays(t0, 5),
      ).want,
    ).toBe("ACTIVE");
    expect(
      plannedState(
        { ...base, status: "CANCELED", canceledAt: t0, currentPeriodEnd: addDays(t0, 10) },
        addDays(t0, 11),
      ).want,
    ).toBe("SUSPENDED");
    expect(
      plannedState({ ...base, status: "INCOMPLETE_EXPIRED", canceledAt: t0 }, addDays(t0, 31)).want,
    ).toBe("TERMINATED");
  });

  it("past due → suspended after the grace period → paid again → active; a staff suspension stays", async () => {
    await subscription({ status: "PAST_DUE", pastDueSince: t0 });
    await syncCustomerBilling(w.customerId);
    expect(await status()).toBe("PAST_DUE");
    expect(await reasons()).toEqual([]);
    await changeSuspension(w.accountId, "staff", true, w.admin);

    setClock(() => addDays(t0, 8));
    expect(await billingTick()).toMatchObject({ synced: 1 });
    expect(await status()).toBe("SUSPENDED");
    expect(await reasons()).toEqual(["billing", "staff"]);
    expect(
      await prisma.job.count({ where: { type: "account.suspension", subjectId: w.accountId } }),
    ).toBe(2);
    expect(
      await prisma.notification.count({
        where: { userId: w.customerUser.id, title: "Your service is suspended" },
      }),
    ).toBe(1);

    // Running again changes nothing.
    await syncCustomerBilling(w.customerId);
    expect(
      await prisma.job.count({ where: { type: "account.suspension", subjectId: w.accountId } }),
    ).toBe(2);

    await subscription({ status: "ACTIVE" });
    await syncCustomerBilling(w.customerId);
    expect(await status()).toBe("ACTIVE");
    expect(await reasons()).toEqual(["staff"]);
    const trail = await prisma.auditEvent.findMany({
      where: { targetId: w.customerId, action: { startsWith: "customer.billing_" } },
      orderBy: { at: "asc" },
    });
    expect(trail.map((e) => e.action)).toEqual([
      "customer.billing_past_due",
      "customer.billing_suspended",
      "customer.billing_active",
    ]);
  });

  it("warns portal users before a suspension, once", async () => {
    await subscription({ status: "PAST_DUE", pastDueSince: t0 });
    setClock(() => addDays(t0, 4));
    expect((await billingTick()).warned).toBe(1);
    expect((await billingTick()).warned).toBe(0);
    expect(
      await prisma.notification.count({
        where: { userId: w.customerUser.id, title: "Your service will be suspended soon" },
      }),
    ).toBe(1);
  });

  it("canceled → suspended at period end → terminated after the configured days, usernames tombstoned by the delete jobs", async () => {
    await subscription({ status: "CANCELED", canceledAt: t0, currentPeriodEnd: addDays(t0, 3) });
    await syncCustomerBilling(w.customerId);
    expect(await status()).toBe("ACTIVE");
    setClock(() => addDays(t0, 4));
    await billingTick();
    expect(await status()).toBe("SUSPENDED");
    setClock(() => addDays(t0, 3 + 30));
    await billingTick();
    const customer = await prisma.customer.findUniqueOrThrow({ where: { id: w.customerId } });
    expect(customer.status).toBe("TERMINATED");
    expect(customer.terminatedAt).not.toBeNull();
    expect(
      (await prisma.xmppAccount.findUniqueOrThrow({ where: { id: w.accountId } })).status,
    ).toBe("DELETING");
    expect(
      await prisma.job.count({ where: { type: "account.delete", customerId: w.customerId } }),
    ).toBe(1);
    expect(
      await prisma.job.count({ where: { type: "room.destroy", customerId: w.customerId } }),
    ).toBe(1);
    expect(
      await prisma.auditEvent.count({
        where: { action: "customer.terminated", targetId: w.customerId },
      }),
    ).toBe(1);
    // A terminated customer is never brought back by a late event.
    await subscription({ status: "ACTIVE" });
    expect(await syncCustomerBilling(w.customerId)).toBeNull();
  });
});
