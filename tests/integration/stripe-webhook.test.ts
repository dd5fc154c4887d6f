import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { randomBytes } from "node:crypto";
import Stripe from "stripe";
import { prisma } from "@/core/db";
import * as lifecycle from "@/lib/billing/apply-subscription";
import { handleStripeWebhook, MAX_WEBHOOK_BODY_BYTES } from "@/lib/billing/webhook";
import { POST } from "@/app/api/webhooks/stripe/route";
import {
  startStripeDouble,
  subscriptionFixture,
  type StripeDouble,
} from "../harness/stripe-double";

// Real signatures (the SDK's own generateTestHeaderString), the real route handler, and in the
// "SDK" mode the real stripe client talking HTTP to tests/harness/stripe-double.ts.
const SECRET = "whsec_parley_test_0123456789";
const T0 = 1_795_000_000;
const uniq = () => randomBytes(5).toString("hex");

type Payload = { id: string; payload: string };

function event(type: string, object: object, created: number, id = `evt_${uniq()}`): Payload {
  const body = {
    id,
    object: "event",
    api_version: Stripe.API_VERSION,
    created,
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
    data: { object },
  };
  return { id, payload: JSON.stringify(body) };
}

const sign = (payload: string, opts: { secret?: string; timestamp?: number } = {}) =>
  Stripe.webhooks.generateTestHeaderString({
    payload,
    secret: opts.secret ?? SECRET,
    ...(opts.timestamp ? { timestamp: opts.timestamp } : {}),
  });

async function post(
  payload: string,
  header: string | null = sign(payload),
): Promise<{ status: number; message: string }> {
  const res = await POST(
    new Request("http://parley.test/api/webhooks/stripe", {
      method: "POST",
      body: payload,
      headers: header === null ? {} : { "stripe-signature": header },
    }),
  );
  return { status: res.status, message: ((await res.json()) as { message: string }).message };
}

async function newCustomer(linked = true) {
  const stripeCustomerId = `cus_${uniq()}`;
  const customer = await prisma.customer.create({
    data: {
      name: `Billing ${uniq()}`,
      contactEmail: `b-${uniq()}@parley.test`,
      stripeCustomerId: linked ? stripeCustomerId : null,
    },
  });
  return { customerId: customer.id, stripeCustomerId, subId: `sub_${uniq()}` };
}

const syncAudits = (customerId: string) =>
  prisma.auditEvent.count({ where: { customerId, action: "billing.subscription.synced" } });
const snapshot = async () => ({
  events: await prisma.stripeEvent.count(),
  subs: await prisma.subscription.count(),
  audits: await prisma.auditEvent.count(),
  customers: await prisma.customer.findMany({
    orderBy: { id: "asc" },
    select: { id: true, stripeCustomerId: true, status: true, updatedAt: true },
  }),
});

function useSdk(double: () => StripeDouble) {
  beforeEach(() => {
    process.env.STRIPE_SECRET_KEY = "sk_test_double";
    process.env.STRIPE_API_HOST = "127.0.0.1";
    process.env.STRIPE_API_PORT = String(double().port);
    process.env.STRIPE_API_PROTOCOL = "http";
  });
  afterEach(() => {
    for (const k of [
      "STRIPE_SECRET_KEY",
      "STRIPE_API_HOST",
      "STRIPE_API_PORT",
      "STRIPE_API_PROTOCOL",
    ])
      delete process.env[k];
  });
}

let double: StripeDouble;
beforeAll(async () => {
  double = await startStripeDouble();
});
afterAll(async () => {
  await double.stop();
});
beforeEach(() => {
  process.env.STRIPE_WEBHOOK_SECRET = SECRET;
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe("rejected deliveries write nothing", () => {
  it("is off (503) without a webhook secret", async () => {
    delete process.env.STRIPE_WEBHOOK_SECRET;
    const { payload } = event("invoice.paid", { id: "in_1", object: "invoice" }, T0);
    const r = await post(payload);
    expect(r.status).toBe(503);
    expect(r.message).toMatch(/not configured/);
  });

  it("400 for a signature made with another secret, a tampered payload, a stale timestamp or no header", async () => {
    const { customerId, stripeCustomerId, subId } = await newCustomer();
    const sub = subscriptionFixture({ id: subId, customer: stripeCustomerId, status: "active" });
    const { payload } = event("customer.subscription.created", sub, T0);
    const before = await snapshot();

    const wrong = await post(payload, sign(payload, { secret: "whsec_someone_else" }));
    expect(wrong.status).toBe(400);
    expect(wrong.message).toMatch(/signature/i);
    const tampered = await post(payload.replace('"active"', '"past_due"'), sign(payload));
    expect(tampered.status).toBe(400);
    const stale = await post(
      payload,
      sign(payload, { timestamp: Math.floor(Date.now() / 1000) - 3600 }),
    );
    expect(stale.status).toBe(400);
    expect(stale.message).toMatch(/tolerance|timestamp/i);
    expect((await post(payload, null)).status).toBe(400);
    expect((await post(payload, "garbage")).status).toBe(400);

    expect(await snapshot()).toEqual(before);
    expect(await prisma.subscription.findUnique({ where: { customerId } })).toBeNull();
    // The same payload, properly signed, is accepted: the rejections above were the signature's doing.
    expect((await post(payload)).status).toBe(200);
    expect(await prisma.subscription.findUnique({ where: { customerId } })).not.toBeNull();
  });

  it("413 for a body over 256 KiB, through the route and the handler", async () => {
    const before = await snapshot();
    const big = event(
      "invoice.paid",
      { id: "in_big", object: "invoice", padding: "x".repeat(MAX_WEBHOOK_BODY_BYTES) },
      T0,
    );
    expect((await post(big.payload)).status).toBe(413);
    expect((await handleStripeWebhook(big.payload, sign(big.payload))).status).toBe(413);
    expect(await snapshot()).toEqual(before);
    // Just under the limit is processed.
    const ok = event(
      "invoice.paid",
      {
        id: "in_ok",
        object: "invoice",
        parent: null,
        padding: "x".repeat(MAX_WEBHOOK_BODY_BYTES - 1000),
      },
      T0,
    );
    expect((await post(ok.payload)).status).toBe(200);
  });
});

describe("replays are no-ops (the event row is the lock)", () => {
  for (const mode of ["sequentially", "concurrently"] as const) {
    it(`the same event 5 times ${mode} has one effect`, async () => {
      const spy = vi.spyOn(lifecycle, "applySubscriptionChange");
      const { customerId, stripeCustomerId, subId } = await newCustomer();
      const e = event(
        "customer.subscription.created",
        subscriptionFixture({ id: subId, customer: stripeCustomerId, status: "active" }),
        T0,
      );
      const results =
        mode === "sequentially"
          ? await (async () => {
              const out = [];
              for (let i = 0; i < 5; i++) out.push(await post(e.payload));
              return out;
            })()
          : await Promise.all(Array.from({ length: 5 }, () => post(e.payload)));
      // Repeats that arrive while the first is being applied get 409 (Stripe retries them);
      // later ones are 200 duplicates. Exactly one delivery applies it.
      expect(results.every((r) => r.status === 200 || r.status === 409)).toBe(true);
      expect(results.filter((r) => r.status === 200 && !/Duplicate/.test(r.message))).toHaveLength(
        1,
      );
      if (mode === "sequentially")
        expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
      expect(await prisma.stripeEvent.count({ where: { id: e.id } })).toBe(1);
      expect(
        (await prisma.stripeEvent.findUnique({ where: { id: e.id } }))?.processedAt,
      ).not.toBeNull();
      expect(await syncAudits(customerId)).toBe(1);
      expect(spy.mock.calls.filter(([id]) => id === customerId)).toHaveLength(1);
      expect((await prisma.subscription.findUnique({ where: { customerId } }))?.status).toBe(
        "ACTIVE",
      );
    });
  }
});

describe("abandoned deliveries", () => {
  it("an event row left unprocessed by a dead delivery is taken over after 5 minutes, not before", async () => {
    const c = await newCustomer();
    const e = event(
      "customer.subscription.created",
      subscriptionFixture({ id: c.subId, customer: c.stripeCustomerId, status: "active" }),
      T0,
    );
    await prisma.stripeEvent.create({
      data: {
        id: e.id,
        type: "customer.subscription.created",
        created: T0,
        receivedAt: new Date(Date.now() - 60_000),
      },
    });
    const young = await post(e.payload);
    expect(young.status).toBe(409);
    expect(young.message).toMatch(/still being processed/);
    expect(
      await prisma.subscription.findUnique({ where: { customerId: c.customerId } }),
    ).toBeNull();
    await prisma.stripeEvent.update({
      where: { id: e.id },
      data: { receivedAt: new Date(Date.now() - 6 * 60_000) },
    });
    const results = await Promise.all([post(e.payload), post(e.payload), post(e.payload)]);
    expect(results.filter((r) => r.status === 200 && !/Duplicate/.test(r.message))).toHaveLength(1);
    expect(
      (await prisma.subscription.findUniqueOrThrow({ where: { customerId: c.customerId } })).status,
    ).toBe("ACTIVE");
    expect(await syncAudits(c.customerId)).toBe(1);
    expect(
      (await prisma.stripeEvent.findUniqueOrThrow({ where: { id: e.id } })).processedAt,
    ).not.toBeNull();
  });
});

// created (incomplete) → updated past_due → invoice.paid → updated active, at increasing times.
function lifecycleEvents(c: { stripeCustomerId: string; subId: string }, base: number): Payload[] {
  const sub = (status: Stripe.Subscription.Status) =>
    subscriptionFixture({ id: c.subId, customer: c.stripeCustomerId, status });
  const invoice = {
    id: `in_${uniq()}`,
    object: "invoice",
    customer: c.stripeCustomerId,
    status: "paid",
    parent: {
      type: "subscription_details",
      quote_details: null,
      subscription_details: { metadata: {}, subscription: c.subId },
    },
  };
  return [
    event("customer.subscription.created", sub("incomplete"), base),
    event("customer.subscription.updated", sub("past_due"), base + 10),
    event("invoice.paid", invoice, base + 20),
    event("customer.subscription.updated", sub("active"), base + 30),
  ];
}

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}

describe("order safety", () => {
  const orders = permutations([0, 1, 2, 3]);
  it("has 24 orders", () => expect(orders).toHaveLength(24));

  describe("payload only (no API key): the created-timestamp guard", () => {
    it("every one of the 24 delivery orders ends ACTIVE with pastDueSince cleared", async () => {
      for (const order of orders) {
        const c = await newCustomer();
        const events = lifecycleEvents(c, T0);
        for (const i of order) expect((await post(events[i].payload)).status).toBe(200);
        const row = await prisma.subscription.findUniqueOrThrow({
          where: { customerId: c.customerId },
        });
        expect({
          order,
          status: row.status,
          pastDueSince: row.pastDueSince,
          last: row.lastEventCreated,
        }).toEqual({ order, status: "ACTIVE", pastDueSince: null, last: T0 + 30 });
      }
    });

    it("an older event after a newer one is skipped; past_due sets pastDueSince", async () => {
      const c = await newCustomer();
      const [, pastDue, , active] = lifecycleEvents(c, T0);
      await post(pastDue.payload);
      expect(
        await prisma.subscription.findUniqueOrThrow({ where: { customerId: c.customerId } }),
      ).toMatchObject({
        status: "PAST_DUE",
        pastDueSince: new Date((T0 + 10) * 1000),
        stripeSubscriptionId: c.subId,
        stripePriceId: "price_standard",
        currentPeriodEnd: new Date((1_795_000_000 + 30 * 86_400) * 1000),
        cancelAtPeriodEnd: false,
        canceledAt: null,
      });
      await post(active.payload);
      const stale = await post(pastDue.payload.replace(pastDue.id, `${pastDue.id}_redelivered`));
      expect(stale.message).toMatch(/stale/);
      expect(
        await prisma.subscription.findUniqueOrThrow({ where: { customerId: c.customerId } }),
      ).toMatchObject({ status: "ACTIVE", pastDueSince: null });
    });
  });

  describe("with the SDK: re-fetch from the Stripe test double", () => {
    useSdk(() => double);

    it("every one of the 24 delivery orders ends ACTIVE, from Stripe's current state", async () => {
      for (const order of orders) {
        const c = await newCustomer();
        double.setSubscription(
          subscriptionFixture({
            id: c.subId,
            customer: c.stripeCustomerId,
            status: "active",
            priceId: "price_pro",
          }),
        );
        const events = lifecycleEvents(c, T0);
        for (const i of order) expect((await post(events[i].payload)).status).toBe(200);
        const row = await prisma.subscription.findUniqueOrThrow({
          where: { customerId: c.customerId },
        });
        expect({
          order,
          status: row.status,
          pastDueSince: row.pastDueSince,
          price: row.stripePriceId,
        }).toEqual({ order, status: "ACTIVE", pastDueSince: null, price: "price_pro" });
        expect(
          double.requests.some(
            (r) => r.method === "GET" && r.path === `/v1/subscriptions/${c.subId}`,
          ),
        ).toBe(true);
      }
      expect(double.requests.at(-1)?.stripeVersion).toBe(Stripe.API_VERSION);
    });

    it("stores what Stripe says now, not what the event carried", async () => {
      const c = await newCustomer();
      double.setSubscription(
        subscriptionFixture({
          id: c.subId,
          customer: c.stripeCustomerId,
          status: "canceled",
          canceledAt: T0 + 50,
          cancelAtPeriodEnd: true,
        }),
      );
      const e = event(
        "customer.subscription.updated",
        subscriptionFixture({ id: c.subId, customer: c.stripeCustomerId, status: "active" }),
        T0 + 40,
      );
      expect((await post(e.payload)).status).toBe(200);
      expect(
        await prisma.subscription.findUniqueOrThrow({ where: { customerId: c.customerId } }),
      ).toMatchObject({
        status: "CANCELED",
        canceledAt: new Date((T0 + 50) * 1000),
        cancelAtPeriodEnd: true,
      });
    });

    it("a failing handler answers 500 and marks the event failed, so Stripe's retry is processed", async () => {
      const c = await newCustomer();
      const spy = vi.spyOn(lifecycle, "applySubscriptionChange");
      const e = event(
        "customer.subscription.updated",
        subscriptionFixture({ id: c.subId, customer: c.stripeCustomerId, status: "active" }),
        T0,
      );
      // The double does not know this subscription yet: retrieve fails with 404.
      const failed = await post(e.payload);
      expect(failed.status).toBe(500);
      expect(await prisma.stripeEvent.findUnique({ where: { id: e.id } })).toMatchObject({
        state: "FAILED",
        processedAt: null,
      });
      expect(
        await prisma.subscription.findUnique({ where: { customerId: c.customerId } }),
      ).toBeNull();
      double.setSubscription(
        subscriptionFixture({ id: c.subId, customer: c.stripeCustomerId, status: "trialing" }),
      );
      const retried = await post(e.payload);
      expect(retried.status).toBe(200);
      expect(
        (await prisma.subscription.findUniqueOrThrow({ where: { customerId: c.customerId } }))
          .status,
      ).toBe("TRIALING");
      expect(spy.mock.calls.filter(([id]) => id === c.customerId)).toHaveLength(1);
    });

    it("checkout.session.completed links the Stripe customer and syncs its subscription; no email kept", async () => {
      const c = await newCustomer(false);
      double.setSubscription(
        subscriptionFixture({ id: c.subId, customer: c.stripeCustomerId, status: "active" }),
      );
      const session = {
        id: `cs_${uniq()}`,
        object: "checkout.session",
        mode: "subscription",
        client_reference_id: c.customerId,
        customer: c.stripeCustomerId,
        subscription: c.subId,
        metadata: {},
        customer_details: {
          email: "payer-secret@example.com",
          name: "Pat Payer",
          address: { line1: "1 Secret Street" },
        },
      };
      const r = await post(event("checkout.session.completed", session, T0).payload);
      expect(r.status).toBe(200);
      const customer = await prisma.customer.findUniqueOrThrow({ where: { id: c.customerId } });
      expect(customer.stripeCustomerId).toBe(c.stripeCustomerId);
      expect(customer.contactEmail).not.toBe("payer-secret@example.com");
      expect(
        (await prisma.subscription.findUniqueOrThrow({ where: { customerId: c.customerId } }))
          .status,
      ).toBe("ACTIVE");
      const audits = await prisma.auditEvent.findMany({ where: { customerId: c.customerId } });
      expect(JSON.stringify(audits)).not.toMatch(/payer-secret|Pat Payer|Secret Street/);
    });
  });
});

describe("other events", () => {
  it("an unknown event type is 200 'ignored' and changes nothing but the event row", async () => {
    const before = await snapshot();
    const e = event(
      "charge.refunded",
      { id: "ch_1", object: "charge", customer: "cus_whoever" },
      T0,
    );
    const r = await post(e.payload);
    expect(r).toEqual({ status: 200, message: "Event type charge.refunded ignored" });
    const after = await snapshot();
    expect(after.events).toBe(before.events + 1);
    expect({ ...after, events: before.events }).toEqual(before);
    expect(await prisma.stripeEvent.findUniqueOrThrow({ where: { id: e.id } })).toMatchObject({
      type: "charge.refunded",
      created: T0,
    });
  });

  it("customer.deleted clears stripeCustomerId and keeps the subscription row", async () => {
    const c = await newCustomer();
    await post(
      event(
        "customer.subscription.created",
        subscriptionFixture({ id: c.subId, customer: c.stripeCustomerId, status: "active" }),
        T0,
      ).payload,
    );
    const r = await post(
      event(
        "customer.deleted",
        { id: c.stripeCustomerId, object: "customer", email: "gone@example.com" },
        T0 + 5,
      ).payload,
    );
    expect(r.status).toBe(200);
    expect(
      (await prisma.customer.findUniqueOrThrow({ where: { id: c.customerId } })).stripeCustomerId,
    ).toBeNull();
    expect(
      await prisma.subscription.findUnique({ where: { customerId: c.customerId } }),
    ).not.toBeNull();
  });

  it("a subscription for a customer Parley does not know is recorded but changes nothing", async () => {
    const subs = await prisma.subscription.count();
    const r = await post(
      event(
        "customer.subscription.created",
        subscriptionFixture({ id: `sub_${uniq()}`, customer: `cus_${uniq()}`, status: "active" }),
        T0,
      ).payload,
    );
    expect(r.status).toBe(200);
    expect(r.message).toMatch(/unknown-customer/);
    expect(await prisma.subscription.count()).toBe(subs);
  });
});
