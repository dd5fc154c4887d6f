import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from "vitest";
import { randomBytes } from "node:crypto";
import Stripe from "stripe";
import { prisma } from "@/core/db";
import { resetClock, setClock } from "@/core/clock";
import * as lifecycle from "@/lib/billing/lifecycle";
import * as apply from "@/lib/billing/apply-subscription";
import { handleStripeWebhook } from "@/lib/billing/webhook";
import { closeCustomer, restoreCustomer } from "@/lib/customers/close-customer";
import { parseReasons } from "@/provisioning/suspension";
import { billedCustomer, subscriptionUpdated } from "../helpers/billed-customer";
import { createUser } from "../helpers/fixtures";

// A webhook skips the lifecycle sync only when nothing the sync reads changed
// (lib/billing/planned-state.ts): each input below, changed alone, makes it run again.
const SECRET = "whsec_lifecycle_skip_0123456789";
const T0 = 1_795_000_000;
const DAY = 86_400;
const uniq = () => randomBytes(5).toString("hex");

type Sub = { status: Stripe.Subscription.Status; canceledAt?: number; periodEnd?: number };
type Extra = { cancelAtPeriodEnd?: boolean; priceId?: string };

async function customerWithSubscription() {
  const c = await billedCustomer(1);
  const { customerId, accountIds } = c;
  let created = T0;
  // Each delivery is a new event, one second after the last one.
  const deliver = async (sub: Sub, extra: Extra = {}) => {
    created += 1;
    const { payload } = subscriptionUpdated(
      c,
      { ...sub, periodEnd: sub.periodEnd ?? T0 + 30 * DAY, ...extra },
      created,
    );
    return handleStripeWebhook(
      payload,
      Stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET }),
    );
  };
  const applied = async (sub: Sub, extra: Extra = {}) =>
    expect(await deliver(sub, extra)).toMatchObject({
      status: 200,
      message: expect.stringMatching(/applied/),
    });
  const state = async () => ({
    customer: await prisma.customer.findUniqueOrThrow({ where: { id: customerId } }),
    subscription: await prisma.subscription.findUniqueOrThrow({
      where: { customerId },
    }),
    reasons: parseReasons(
      (await prisma.xmppAccount.findUniqueOrThrow({ where: { id: accountIds[0] } }))
        .suspensionReasons,
    ),
  });
  return { customerId, deliver, applied, state };
}

let syncs: MockInstance<typeof lifecycle.syncCustomerBilling>;
let applies: MockInstance<typeof apply.applySubscriptionChange>;
beforeEach(() => {
  process.env.STRIPE_WEBHOOK_SECRET = SECRET;
  // A day after the events: a past-due customer is still within its grace period.
  setClock(() => new Date((T0 + DAY) * 1000));
  syncs = vi.spyOn(lifecycle, "syncCustomerBilling");
  applies = vi.spyOn(apply, "applySubscriptionChange");
});
afterEach(() => {
  resetClock();
  vi.restoreAllMocks();
  delete process.env.STRIPE_WEBHOOK_SECRET;
});

const callsFor = (spy: { mock: { calls: unknown[][] } }, customerId: string) =>
  spy.mock.calls.filter((args) => args[0] === customerId).length;

describe("the lifecycle sync is skipped when nothing it reads changed", () => {
  it.each<[string, Sub]>([
    ["active", { status: "active" }],
    ["past due", { status: "past_due" }],
    ["canceled", { status: "canceled", canceledAt: T0 - DAY, periodEnd: T0 + 20 * DAY }],
  ])(
    "%s: a new period end (unless canceled), cancel-at-period-end or an unlinked price",
    async (_, sub) => {
      const c = await customerWithSubscription();
      await c.applied(sub);
      expect(callsFor(syncs, c.customerId)).toBe(1);
      const before = await c.state();
      expect(before.subscription.lifecycleDue).toBe(false);

      // What the lifecycle does not read for this status, all changed at once.
      const periodEnd = sub.status === "canceled" ? sub.periodEnd : T0 + 60 * DAY;
      await c.applied(
        { ...sub, periodEnd },
        { cancelAtPeriodEnd: true, priceId: `price_${uniq()}` },
      );
      expect(callsFor(syncs, c.customerId)).toBe(1);
      expect(callsFor(applies, c.customerId)).toBe(1);
      const after = await c.state();
      // The event itself was stored; the customer was not touched (not even locked).
      expect(after.subscription).toMatchObject({
        cancelAtPeriodEnd: true,
        lastEventCreated: before.subscription.lastEventCreated + 1,
        lifecycleDue: false,
        pastDueSince: before.subscription.pastDueSince,
      });
      expect(after.customer).toEqual(before.customer);
    },
  );
});

// Each case: a first event (synced), then one change of a single input, then the same
// subscription delivered again; `expected` is the customer's status after it.
type Case = {
  first: Sub;
  change: (c: Awaited<ReturnType<typeof customerWithSubscription>>) => Promise<void>;
  again: Sub;
  expected: string;
  reasons?: string[];
};
const canceled = { status: "canceled", canceledAt: T0 - DAY, periodEnd: T0 + 20 * DAY } as const;

const CASES: Record<string, Case> = {
  "the subscription's status": {
    first: { status: "active" },
    change: async () => undefined,
    again: { status: "trialing" },
    expected: "ACTIVE",
  },
  "pastDueSince (a past-due row that lost it is given the event's time)": {
    first: { status: "past_due" },
    change: async (c) => {
      await prisma.subscription.update({
        where: { customerId: c.customerId },
        data: { pastDueSince: null },
      });
    },
    again: { status: "past_due" },
    expected: "PAST_DUE",
  },
  "canceledAt (canceled)": {
    first: canceled,
    change: async () => undefined,
    again: { ...canceled, canceledAt: T0 - 40 * DAY, periodEnd: T0 - 35 * DAY },
    expected: "TERMINATED",
  },
  "currentPeriodEnd (canceled)": {
    first: canceled,
    change: async () => undefined,
    again: { ...canceled, periodEnd: T0 - DAY / 2 },
    expected: "SUSPENDED",
  },
  "the customer's status (changed outside billing)": {
    first: { status: "active" },
    change: async (c) => {
      await prisma.customer.update({ where: { id: c.customerId }, data: { status: "PAST_DUE" } });
    },
    again: { status: "active" },
    expected: "ACTIVE",
  },
  "the clock (the grace period ran out)": {
    first: { status: "past_due" },
    change: async () => setClock(() => new Date((T0 + 9 * DAY) * 1000)),
    again: { status: "past_due" },
    expected: "SUSPENDED",
  },
  "the accounts' billing reason (the sync could not run while the customer was closing)": {
    first: { status: "past_due" },
    change: async (c) => {
      setClock(() => new Date((T0 + 9 * DAY) * 1000));
      await c.applied({ status: "past_due" }); // grace over: suspended, accounts held
      const admin = await createUser("ADMIN");
      await closeCustomer(c.customerId, admin);
      await c.applied({ status: "active" }); // paid while closing: nothing moves yet
      await restoreCustomer(c.customerId, admin);
      // Active again and paid up, but the accounts still carry the billing hold.
      expect(await c.state()).toMatchObject({
        customer: { status: "ACTIVE" },
        subscription: { lifecycleDue: true },
        reasons: ["billing"],
      });
    },
    again: { status: "active" },
    expected: "ACTIVE",
    reasons: [],
  },
  "a sync that never finished (its delivery failed)": {
    first: { status: "active" },
    change: async (c) => {
      syncs.mockRejectedValueOnce(new Error("the process died mid-sync"));
      expect((await c.deliver({ status: "past_due" })).status).toBe(500);
      expect(await c.state()).toMatchObject({
        customer: { status: "ACTIVE" },
        subscription: { status: "PAST_DUE", lifecycleDue: true },
      });
    },
    again: { status: "past_due" },
    expected: "PAST_DUE",
  },
};

describe("the lifecycle sync runs when any one input changed", () => {
  it.each(Object.entries(CASES))("%s", async (_, k) => {
    const c = await customerWithSubscription();
    await c.applied(k.first);
    await k.change(c);
    const before = callsFor(syncs, c.customerId);
    await c.applied(k.again);
    expect(callsFor(syncs, c.customerId)).toBe(before + 1);
    const after = await c.state();
    expect(after.customer.status).toBe(k.expected);
    expect(after.subscription.lifecycleDue).toBe(false);
    expect(after.reasons).toEqual(k.reasons ?? (k.expected === "SUSPENDED" ? ["billing"] : []));
  });

  it("the plan linked to the price (linked after the subscription was stored)", async () => {
    const c = await customerWithSubscription();
    const priceId = `price_${uniq()}`;
    await c.applied({ status: "active" }, { priceId });
    const plan = await prisma.plan.create({
      data: {
        name: `Plan ${uniq()}`,
        seats: 3,
        rooms: 1,
        retentionDays: 30,
        stripePriceId: priceId,
      },
    });
    const before = callsFor(applies, c.customerId);
    await c.applied({ status: "active" }, { priceId });
    expect(callsFor(applies, c.customerId)).toBe(before + 1);
    expect((await c.state()).customer.planId).toBe(plan.id);
    // Once followed, the same price again changes nothing.
    await c.applied({ status: "active" }, { priceId });
    expect(callsFor(applies, c.customerId)).toBe(before + 1);
  });
});
