import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { addDays } from "date-fns";
import Stripe from "stripe";
import { prisma } from "@/core/db";
import { resetClock, setClock } from "@/core/clock";
import { billingTick } from "@/lib/billing/lifecycle";
import { POST } from "@/app/api/webhooks/stripe/route";
import { parseReasons } from "@/provisioning/suspension";
import { createWorld } from "../helpers/fixtures";
import { subscriptionFixture } from "../harness/stripe-double";

// Signed Stripe events, through the real route, move a customer along the billing lifecycle:
// the plan follows the price, a failed payment becomes a suspension after the grace period,
// and a payment lifts it.
const SECRET = "whsec_lifecycle_test";
const uniq = () => randomBytes(5).toString("hex");

async function deliver(type: string, object: object, created: number) {
  const payload = JSON.stringify({
    id: `evt_${uniq()}`,
    object: "event",
    api_version: Stripe.API_VERSION,
    created,
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

beforeAll(() => {
  process.env.STRIPE_WEBHOOK_SECRET = SECRET;
});
afterAll(() => {
  delete process.env.STRIPE_WEBHOOK_SECRET;
});
afterEach(() => resetClock());

describe("Stripe events drive the lifecycle", () => {
  it("price → plan, past due → suspended after grace → paid → active again", async () => {
    const w = await createWorld();
    const stripeCustomerId = `cus_${uniq()}`;
    await prisma.customer.update({ where: { id: w.customerId }, data: { stripeCustomerId } });
    const family = await prisma.plan.create({
      data: {
        name: `Family ${uniq()}`,
        seats: 6,
        rooms: 3,
        retentionDays: 30,
        stripePriceId: `price_${uniq()}`,
      },
    });
    const sub = (status: Stripe.Subscription.Status) =>
      subscriptionFixture({
        id: `sub_${w.customerId}`,
        customer: stripeCustomerId,
        status,
        priceId: family.stripePriceId!,
      });
    const t = Math.floor(Date.now() / 1000);

    await deliver("customer.subscription.created", sub("active"), t);
    const customer = await prisma.customer.findUniqueOrThrow({ where: { id: w.customerId } });
    expect(customer.planId).toBe(family.id);
    expect(customer.status).toBe("ACTIVE");

    await deliver("customer.subscription.updated", sub("past_due"), t + 10);
    expect((await prisma.customer.findUniqueOrThrow({ where: { id: w.customerId } })).status).toBe(
      "PAST_DUE",
    );
    expect(
      await prisma.notification.count({
        where: { userId: w.customerUser.id, title: "Your payment did not go through" },
      }),
    ).toBe(1);

    setClock(() => addDays(new Date(), 8));
    await billingTick();
    expect((await prisma.customer.findUniqueOrThrow({ where: { id: w.customerId } })).status).toBe(
      "SUSPENDED",
    );
    expect(
      parseReasons(
        (await prisma.xmppAccount.findUniqueOrThrow({ where: { id: w.accountId } }))
          .suspensionReasons,
      ),
    ).toEqual(["billing"]);
    resetClock();

    await deliver("customer.subscription.updated", sub("active"), t + 30);
    expect((await prisma.customer.findUniqueOrThrow({ where: { id: w.customerId } })).status).toBe(
      "ACTIVE",
    );
    expect(
      parseReasons(
        (await prisma.xmppAccount.findUniqueOrThrow({ where: { id: w.accountId } }))
          .suspensionReasons,
      ),
    ).toEqual([]);
  });
});
