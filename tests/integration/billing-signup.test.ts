import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import Stripe from "stripe";
import { prisma } from "@/core/db";
import { emailBody } from "@/lib/notifications/send-email";
import { startSignup } from "@/lib/billing/signup";
import { createCheckoutLink, createPortalLink } from "@/lib/billing/checkout";
import { POST } from "@/app/api/webhooks/stripe/route";
import { createWorld } from "../helpers/fixtures";
import {
  startStripeDouble,
  subscriptionFixture,
  type StripeDouble,
} from "../harness/stripe-double";

// The real Stripe SDK against the Stripe test double: a public sign-up becomes a paying customer
// with a portal user and a first-account invite only when the checkout completes.
const SECRET = "whsec_signup_test";
const uniq = () => randomBytes(5).toString("hex");
let double: StripeDouble;

beforeAll(async () => {
  double = await startStripeDouble();
});
afterAll(async () => {
  await double.stop();
});
beforeEach(() => {
  Object.assign(process.env, {
    STRIPE_SECRET_KEY: "sk_test_double",
    STRIPE_API_HOST: "127.0.0.1",
    STRIPE_API_PORT: String(double.port),
    STRIPE_API_PROTOCOL: "http",
    STRIPE_WEBHOOK_SECRET: SECRET,
    PUBLIC_SIGNUP: "on",
  });
});
afterEach(() => {
  for (const k of [
    "STRIPE_SECRET_KEY",
    "STRIPE_API_HOST",
    "STRIPE_API_PORT",
    "STRIPE_API_PROTOCOL",
    "STRIPE_WEBHOOK_SECRET",
    "PUBLIC_SIGNUP",
  ])
    delete process.env[k];
});

async function deliver(type: string, object: object) {
  const payload = JSON.stringify({
    id: `evt_${uniq()}`,
    object: "event",
    api_version: Stripe.API_VERSION,
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
    data: { object },
  });
  const res = await POST(
    new Request("http://parley.test/api/webhooks/stripe", {
      method: "POST",
      body: payload,
      headers: {
        "stripe-signature": Stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET }),
      },
    }),
  );
  expect(res.status, await res.clone().text()).toBe(200);
}

describe("sign-up through Stripe Checkout", () => {
  it("creates a pending customer, and only the completed checkout activates and onboards it", async () => {
    const w = await createWorld(); // gives a server for the first-account invite
    const plan = await prisma.plan.update({
      where: { id: w.planId },
      data: { stripePriceId: `price_${uniq()}` },
    });
    const email = `signer-${uniq()}@example.org`;
    const url = await startSignup({ name: "The Rivers", kind: "FAMILY", email, planId: plan.id });
    expect(url).toMatch(new RegExp(`^http://127.0.0.1:${double.port}/checkout/cs_test_`));
    const request = double.requests.at(-1)!;
    expect(request).toMatchObject({ method: "POST", path: "/v1/checkout/sessions" });
    expect(request.params["line_items[0][price]"]).toBe(plan.stripePriceId);
    const customer = await prisma.customer.findFirstOrThrow({ where: { contactEmail: email } });
    expect(customer.status).toBe("PENDING");
    expect(request.params.client_reference_id).toBe(customer.id);
    expect(request.idempotencyKey).toBe(`signup:${customer.id}`);
    expect(await prisma.user.count({ where: { customerId: customer.id } })).toBe(0);

    // Stripe confirms: checkout completed, with the subscription it created.
    const stripeCustomerId = `cus_${uniq()}`;
    const sub = subscriptionFixture({
      id: `sub_${uniq()}`,
      customer: stripeCustomerId,
      status: "active",
      priceId: plan.stripePriceId!,
      metadata: { parleyCustomerId: customer.id },
    });
    double.setSubscription(sub);
    await deliver("checkout.session.completed", {
      id: `cs_${uniq()}`,
      object: "checkout.session",
      mode: "subscription",
      client_reference_id: customer.id,
      customer: stripeCustomerId,
      subscription: sub.id,
      metadata: { parleyCustomerId: customer.id },
      status: "complete",
      payment_status: "paid",
    });

    const active = await prisma.customer.findUniqueOrThrow({ where: { id: customer.id } });
    expect([active.status, active.stripeCustomerId]).toEqual(["ACTIVE", stripeCustomerId]);
    const portalUser = await prisma.user.findFirstOrThrow({ where: { customerId: customer.id } });
    expect([portalUser.email, portalUser.role]).toEqual([email, "CUSTOMER"]);
    expect(await prisma.invite.count({ where: { customerId: customer.id, kind: "ACCOUNT" } })).toBe(
      1,
    );
    const mails = await prisma.outboxEmail.findMany({
      where: { to: email },
      orderBy: { createdAt: "asc" },
    });
    expect(mails.map((m) => m.subject)).toEqual([
      "Your Parley sign-in",
      "Set up your first chat address",
    ]);
    // Stored with the link redacted; the sealed copy is what the delivery job sends.
    expect(mails[1].text).not.toMatch(/\/invite\/[A-Za-z0-9_-]{43}/);
    expect(emailBody(mails[1]).text).toMatch(/\/invite\/[A-Za-z0-9_-]{43}/);

    // A replayed completion onboards nobody twice.
    await deliver("customer.subscription.updated", sub);
    expect(await prisma.user.count({ where: { customerId: customer.id } })).toBe(1);
    expect(await prisma.invite.count({ where: { customerId: customer.id } })).toBe(1);

    // The portal user manages cards and cancellation in Stripe's Customer Portal.
    expect(await createPortalLink(customer.id, { id: portalUser.id, email })).toBe(
      `http://127.0.0.1:${double.port}/portal/${stripeCustomerId}`,
    );
  });

  it("refuses a sign-up when it is off, for an unpriced plan, or for an email that already has a sign-in", async () => {
    const w = await createWorld();
    delete process.env.PUBLIC_SIGNUP;
    await expect(
      startSignup({ name: "X", kind: "PERSON", email: "x@example.org", planId: w.planId }),
    ).rejects.toThrow(/not open/);
    process.env.PUBLIC_SIGNUP = "on";
    await expect(
      startSignup({ name: "X", kind: "PERSON", email: "x@example.org", planId: w.planId }),
    ).rejects.toThrow(/Choose one of the plans/);
    await prisma.plan.update({
      where: { id: w.planId },
      data: { stripePriceId: `price_${uniq()}` },
    });
    await expect(
      startSignup({ name: "X", kind: "PERSON", email: w.admin.email, planId: w.planId }),
    ).rejects.toThrow(/already has a sign-in/);
  });

  it("staff checkout links carry the customer and the plan's price", async () => {
    const w = await createWorld();
    await prisma.plan.update({
      where: { id: w.planId },
      data: { stripePriceId: `price_${uniq()}` },
    });
    const link = await createCheckoutLink(w.customerId, w.planId, w.admin);
    expect(link).toContain("/checkout/cs_test_");
    expect(double.requests.at(-1)?.params.client_reference_id).toBe(w.customerId);
  });
});
