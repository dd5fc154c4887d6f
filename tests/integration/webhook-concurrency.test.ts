import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import Stripe from "stripe";
import { prisma } from "@/core/db";
import { resetClock, setClock } from "@/core/clock";
import * as lifecycle from "@/lib/billing/lifecycle";
import { handleStripeWebhook, type WebhookResult } from "@/lib/billing/webhook";
import { parseReasons } from "@/provisioning/suspension";
import { billedCustomer, subscriptionUpdated } from "../helpers/billed-customer";

// Real concurrency: 30 deliveries (18 distinct events for three customers, 12 repeats) all in
// flight at once, repeated the way Stripe retries (a 409 or 500 is sent again) until each is
// answered 200. The outcome must be what the same events give one at a time, in order, for
// twin customers: the newest event's state, the lifecycle in line with it, each event applied
// once, and no lifecycle move made twice.
const SECRET = "whsec_webhook_concurrency_0123456789";
const T0 = 1_795_000_000;
const DAY = 86_400;

type Step = { status: Stripe.Subscription.Status; canceledAt?: number; periodEnd?: number };
// Per customer, in `created` order. Each ends somewhere else (active, past due past its grace,
// canceled past its period end), and goes through suspension and back on the way.
const SCRIPTS: Step[][] = [
  [
    { status: "active" },
    { status: "past_due" },
    { status: "unpaid" },
    { status: "active" },
    { status: "past_due" },
    { status: "active", periodEnd: T0 + 60 * DAY },
  ],
  [
    { status: "trialing" },
    { status: "active" },
    { status: "active", periodEnd: T0 + 40 * DAY },
    { status: "trialing" },
    { status: "active" },
    { status: "past_due" },
  ],
  [
    { status: "active" },
    { status: "paused" },
    { status: "active" },
    { status: "canceled", canceledAt: T0 + 2 * DAY, periodEnd: T0 + 20 * DAY },
    { status: "active" },
    { status: "canceled", canceledAt: T0 + 2 * DAY, periodEnd: T0 + 5 * DAY },
  ],
];

// Lifecycle moves each script makes one event at a time (suspended on the way and back).
const MOVES_ONE_AT_A_TIME = [4, 1, 3];

async function customerFor(script: Step[]) {
  const c = await billedCustomer(2);
  const events = script.map((step, i) =>
    subscriptionUpdated(c, { ...step, periodEnd: step.periodEnd ?? T0 + 30 * DAY }, T0 + i + 1),
  );
  return { ...c, events };
}

const deliver = (payload: string) =>
  handleStripeWebhook(
    payload,
    Stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET }),
  );

// Everything the outcome is judged on, without ids and times of this run.
async function outcome(customerId: string) {
  const sub = await prisma.subscription.findUniqueOrThrow({ where: { customerId } });
  const customer = await prisma.customer.findUniqueOrThrow({ where: { id: customerId } });
  const accounts = await prisma.xmppAccount.findMany({ where: { customerId } });
  return {
    customer: customer.status,
    subscription: {
      status: sub.status,
      pastDueSince: sub.pastDueSince,
      canceledAt: sub.canceledAt,
      currentPeriodEnd: sub.currentPeriodEnd,
      lastEventCreated: sub.lastEventCreated,
      lifecycleDue: sub.lifecycleDue,
    },
    reasons: accounts.map((a) => parseReasons(a.suspensionReasons)),
  };
}

// The lifecycle's moves, in order: each starts where the one before ended.
async function moves(customerId: string) {
  const audits = await prisma.auditEvent.findMany({
    where: { customerId, action: { startsWith: "customer.billing_" } },
    orderBy: [{ at: "asc" }, { id: "asc" }],
  });
  return audits.map((a) => a.details as { from: string; to: string });
}

beforeEach(() => {
  process.env.STRIPE_WEBHOOK_SECRET = SECRET;
  // Ten days on: a subscription past due since the events is past its grace period.
  setClock(() => new Date((T0 + 10 * DAY) * 1000));
});
afterEach(() => {
  vi.restoreAllMocks();
  resetClock();
  delete process.env.STRIPE_WEBHOOK_SECRET;
});

describe("concurrent deliveries", () => {
  it("30 at once, mixed and repeated, end as the same events one at a time", async () => {
    const concurrent = await Promise.all(SCRIPTS.map(customerFor));
    const sequential = await Promise.all(SCRIPTS.map(customerFor));

    // Each event once, plus a repeat of every other one and of the newest, shuffled.
    const all = concurrent.flatMap((c) => c.events);
    const repeats = concurrent.flatMap((c) => [
      ...c.events.filter((_, i) => i % 2 === 0),
      c.events[5],
    ]);
    expect(all.length + repeats.length).toBe(30);
    const deliveries = [...all, ...repeats]
      .map((e, i) => ({ e, key: (i * 7919) % 31 }))
      .sort((a, b) => a.key - b.key)
      .map(({ e }) => e);
    const answers = new Map<string, WebhookResult[]>();
    let pending = deliveries;
    for (let round = 0; pending.length > 0; round++) {
      expect(round, "deliveries still refused after 20 rounds").toBeLessThan(20);
      const results = await Promise.all(pending.map((e) => deliver(e.payload)));
      results.forEach((r, i) =>
        answers.set(pending[i].id, [...(answers.get(pending[i].id) ?? []), r]),
      );
      pending = pending.filter((_, i) => results[i].status !== 200);
    }
    for (const c of sequential)
      for (const e of c.events) expect((await deliver(e.payload)).status).toBe(200);

    for (const [i, c] of concurrent.entries()) {
      expect(await outcome(c.customerId), `customer ${i}`).toEqual(
        await outcome(sequential[i].customerId),
      );
      // Each event processed by exactly one delivery, its other deliveries told so.
      for (const e of c.events) {
        const processed = answers
          .get(e.id)!
          .filter((r) => r.status === 200 && !/Duplicate/.test(r.message));
        expect(processed, e.id).toHaveLength(1);
        const synced = (
          await prisma.auditEvent.findMany({
            where: { customerId: c.customerId, action: "billing.subscription.synced" },
          })
        ).filter((a) => (a.details as { eventId?: string }).eventId === e.id).length;
        expect(synced, e.id).toBe(/applied/.test(processed[0].message) ? 1 : 0);
        expect(await prisma.stripeEvent.findUniqueOrThrow({ where: { id: e.id } })).toMatchObject({
          state: "DONE",
          processedAt: expect.any(Date),
        });
      }
      // Moves (if any: the newest event may well have come first) chain up and end where it is.
      const trail = [{ from: "", to: "ACTIVE" }, ...(await moves(c.customerId))];
      trail.forEach((m, j) => {
        if (j > 0) expect(m.from, `move ${j} of customer ${i}`).toBe(trail[j - 1].to);
      });
      expect(trail.at(-1)!.to).toBe((await outcome(c.customerId)).customer);
      expect((await moves(sequential[i].customerId)).length).toBe(MOVES_ONE_AT_A_TIME[i]);
    }
  });

  // The interleaving the test above may or may not hit, forced: an older event's write, then a
  // newer event applied in full, then the older event's sync, which must not store its state.
  it("a lifecycle sync held back until a newer event was applied keeps the newer state", async () => {
    const [c] = await Promise.all([customerFor(SCRIPTS[1])]); // trialing, active, ..., past_due
    expect((await deliver(c.events[1].payload)).message).toMatch(/applied/); // active
    const real = lifecycle.syncCustomerBilling;
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let held!: () => void;
    const holding = new Promise<void>((resolve) => (held = resolve));
    vi.spyOn(lifecycle, "syncCustomerBilling").mockImplementationOnce(async (...args) => {
      held();
      await released;
      return real(...args);
    });
    const older = deliver(c.events[5].payload); // past due since ten days: suspend
    await holding;
    const newer = subscriptionUpdated(c, { status: "active", periodEnd: T0 + 30 * DAY }, T0 + 7);
    expect((await deliver(newer.payload)).message).toMatch(/applied/); // active again
    release();
    expect((await older).status).toBe(200);
    expect(await outcome(c.customerId)).toMatchObject({
      customer: "ACTIVE",
      subscription: { status: "ACTIVE", pastDueSince: null, lifecycleDue: false },
      reasons: [[], []],
    });
    expect(await moves(c.customerId)).toEqual([]);
  });
});
