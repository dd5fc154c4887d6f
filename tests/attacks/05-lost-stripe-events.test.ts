import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import Stripe from "stripe";
import { prisma } from "@/core/db";
import { handleStripeWebhook } from "@/lib/billing/webhook";
import {
  startStripeDouble,
  stripeEventPayload,
  subscriptionFixture,
  type StripeDouble,
} from "../harness/stripe-double";

// Stripe stops retrying an event once any delivery of it is answered 2xx. So the attack: make
// the first delivery slow (or failing) through the Stripe double, send repeats while it runs,
// and check that no delivery is answered 2xx before the event is actually applied.
const SECRET = "whsec_attack_05_0123456789";
const T0 = 1_795_000_000;
const uniq = () => randomBytes(5).toString("hex");
const sign = (payload: string) =>
  Stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let double: StripeDouble;
beforeAll(async () => {
  double = await startStripeDouble();
});
afterAll(async () => {
  await double.stop();
});
const ENV = ["STRIPE_SECRET_KEY", "STRIPE_API_HOST", "STRIPE_API_PORT", "STRIPE_API_PROTOCOL"];
beforeEach(() => {
  process.env.STRIPE_WEBHOOK_SECRET = SECRET;
  process.env.STRIPE_SECRET_KEY = "sk_test_double";
  process.env.STRIPE_API_HOST = "127.0.0.1";
  process.env.STRIPE_API_PORT = String(double.port);
  process.env.STRIPE_API_PROTOCOL = "http";
});
afterEach(() => {
  for (const k of [...ENV, "STRIPE_WEBHOOK_SECRET"]) delete process.env[k];
});

async function subscribedCustomer() {
  const stripeCustomerId = `cus_${uniq()}`;
  const subId = `sub_${uniq()}`;
  const customer = await prisma.customer.create({
    data: {
      name: `Attack 05 ${uniq()}`,
      contactEmail: `a-${uniq()}@parley.test`,
      stripeCustomerId,
    },
  });
  // Stripe's truth: the subscription is past due; the event tells Parley so.
  double.setSubscription(
    subscriptionFixture({ id: subId, customer: stripeCustomerId, status: "past_due" }),
  );
  const body = stripeEventPayload(
    "customer.subscription.updated",
    subscriptionFixture({ id: subId, customer: stripeCustomerId, status: "past_due" }),
    { id: `evt_${uniq()}`, created: T0, apiVersion: Stripe.API_VERSION },
  );
  const status = async () =>
    (await prisma.subscription.findUnique({ where: { customerId: customer.id } }))?.status ?? null;
  return { body, status };
}

// A delivery as Stripe sees it: the answer, and whether the event was applied when it came back.
async function deliver(body: string, status: () => Promise<string | null>) {
  const r = await handleStripeWebhook(body, sign(body));
  return { ...r, appliedWhenAnswered: (await status()) === "PAST_DUE" };
}

describe("11.5 lost Stripe events: no 2xx before the event is applied", () => {
  it("a repeat sent while the first delivery is still slow gets a non-2xx answer", async () => {
    const { body, status } = await subscribedCustomer();
    double.slowNext(1500);
    const first = deliver(body, status);
    await sleep(300);
    const repeats = await Promise.all(Array.from({ length: 10 }, () => deliver(body, status)));
    const early = repeats.filter((r) => r.status < 300 && !r.appliedWhenAnswered);
    expect(early.map((r) => `${r.status} ${r.message}`)).toEqual([]);
    expect(repeats.every((r) => r.status === 409)).toBe(true);
    expect((await first).status).toBe(200);
    expect(await status()).toBe("PAST_DUE");
    // Once applied, a repeat is the harmless duplicate it always was.
    const later = await deliver(body, status);
    expect(later.status).toBe(200);
    expect(later.message).toMatch(/already/);
  });

  it("a slow first attempt that fails leaves the event retryable; Stripe's retry applies it", async () => {
    const { body, status } = await subscribedCustomer();
    // Slow, then failing (the SDK's own two retries fail too).
    double.slowNext(1000, 3);
    double.failNext(3);
    const first = deliver(body, status);
    await sleep(200);
    const during = await Promise.all(Array.from({ length: 10 }, () => deliver(body, status)));
    const firstResult = await first;
    expect(firstResult.status).toBe(500);
    // Every delivery answered so far was non-2xx, so Stripe would still retry ...
    expect([firstResult, ...during].filter((r) => r.status < 300).map((r) => r.message)).toEqual(
      [],
    );
    expect(await status()).not.toBe("PAST_DUE");
    // ... and its retry (Stripe is back) is applied.
    const retry = await deliver(body, status);
    expect(retry.status).toBe(200);
    expect(await status()).toBe("PAST_DUE");
    expect(retry.appliedWhenAnswered).toBe(true);
  });

  it("50 parallel deliveries with a slow Stripe: applied once, no 2xx before it is", async () => {
    const { body, status } = await subscribedCustomer();
    double.slowNext(800);
    const results = await Promise.all(Array.from({ length: 50 }, () => deliver(body, status)));
    expect(results.filter((r) => r.status < 300 && !r.appliedWhenAnswered)).toEqual([]);
    expect(results.filter((r) => r.status === 200 && !/already/.test(r.message))).toHaveLength(1);
    expect(await status()).toBe("PAST_DUE");
  });

  it.each([
    ["null", "null"],
    ["a number", "42"],
    ["a string", '"x"'],
    ["an array", "[]"],
    ["an object without an id", "{}"],
  ])("a signed body that is %s answers 400 with a clear message", async (_what, body) => {
    const r = await handleStripeWebhook(body, sign(body));
    expect({ status: r.status, message: r.message }).toEqual({
      status: 400,
      message: expect.stringMatching(/not a Stripe event/),
    });
  });
});
