import { randomBytes } from "node:crypto";
import type Stripe from "stripe";
import { prisma } from "@/core/db";
import { stripeEventPayload, subscriptionFixture } from "../harness/stripe-double";

const uniq = () => randomBytes(5).toString("hex");

// A customer linked to a Stripe customer, with `accounts` active chat accounts (rows only: no
// server is contacted), so billing suspensions have accounts to work on; and a subscription id.
export async function billedCustomer(accounts: number) {
  const stripeCustomerId = `cus_${uniq()}`;
  const customer = await prisma.customer.create({
    data: { name: `Billed ${uniq()}`, contactEmail: `b-${uniq()}@parley.test`, stripeCustomerId },
  });
  const domain = `x${uniq()}.test`;
  const server = await prisma.server.create({
    data: { name: `Server ${uniq()}`, kind: "EJABBERD", domain, apiUrl: "http://127.0.0.1:9/api" },
  });
  const accountIds: string[] = [];
  for (let i = 0; i < accounts; i++) {
    const account = await prisma.xmppAccount.create({
      data: {
        customerId: customer.id,
        serverId: server.id,
        localpart: `u${uniq()}`,
        domain,
        status: "ACTIVE",
      },
    });
    accountIds.push(account.id);
  }
  return { customerId: customer.id, stripeCustomerId, subId: `sub_${uniq()}`, accountIds };
}

// One state of the subscription, as a test writes it.
export type SubscriptionStep = {
  status: Stripe.Subscription.Status;
  canceledAt?: number;
  periodEnd?: number;
  cancelAtPeriodEnd?: boolean;
  priceId?: string;
};

// A customer.subscription.updated event carrying `step` for the customer's subscription.
export function subscriptionUpdated(
  c: { stripeCustomerId: string; subId: string },
  step: SubscriptionStep,
  created: number,
): { id: string; payload: string } {
  const id = `evt_${uniq()}`;
  const payload = stripeEventPayload(
    "customer.subscription.updated",
    subscriptionFixture({
      id: c.subId,
      customer: c.stripeCustomerId,
      status: step.status,
      canceledAt: step.canceledAt ?? null,
      currentPeriodEnd: step.periodEnd ?? created + 30 * 86_400,
      cancelAtPeriodEnd: step.cancelAtPeriodEnd,
      priceId: step.priceId,
    }),
    { id, created },
  );
  return { id, payload };
}
