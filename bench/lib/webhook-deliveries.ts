// The webhook benchmark's deliveries, shared by bench/webhook-ingestion.ts (the timed run) and
// bench/webhook-profile.ts (statements and CPU by part), so both measure the same stream.
import { randomBytes } from "node:crypto";
import Stripe from "stripe";
import type { DB } from "../../core/db";

export const N = 1000;
export const REPLAY_SHARE = 0.2;
export const CUSTOMERS = 50;
export const SECRET = "whsec_bench_0123456789";

export type Delivery = { payload: string; header: string };

// N deliveries: 80% distinct events (subscription updates alternating active/past_due, every
// tenth an invoice.paid), 20% replays of earlier ones, interleaved.
export function buildDeliveries(
  customers: { stripeCustomerId: string; subId: string }[],
  tag: string,
): Delivery[] {
  const distinct: Delivery[] = [];
  const unique = Math.round(N * (1 - REPLAY_SHARE));
  const t0 = 1_795_000_000;
  for (let i = 0; i < unique; i++) {
    const c = customers[i % customers.length];
    const created = t0 + i;
    const object =
      i % 10 === 9
        ? {
            id: `in_${tag}${i}`,
            object: "invoice",
            customer: c.stripeCustomerId,
            parent: {
              type: "subscription_details",
              subscription_details: { metadata: {}, subscription: c.subId },
            },
          }
        : {
            id: c.subId,
            object: "subscription",
            customer: c.stripeCustomerId,
            status: i % 3 === 1 ? "past_due" : "active",
            metadata: {},
            cancel_at_period_end: false,
            canceled_at: null,
            items: {
              object: "list",
              has_more: false,
              data: [
                {
                  id: `si_${c.subId}`,
                  object: "subscription_item",
                  current_period_end: created + 2_592_000,
                  price: { id: "price_bench", object: "price" },
                },
              ],
            },
          };
    const type = i % 10 === 9 ? "invoice.paid" : "customer.subscription.updated";
    const payload = JSON.stringify({
      id: `evt_${tag}${i}`,
      object: "event",
      type,
      created,
      livemode: false,
      data: { object },
    });
    distinct.push({
      payload,
      header: Stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET }),
    });
  }
  const out: Delivery[] = [];
  let replays = 0;
  for (let i = 0; i < distinct.length; i++) {
    out.push(distinct[i]);
    // A replay of an event already delivered, every fourth step (→ 20% of all deliveries).
    if (i % 4 === 3 && replays < N - unique) {
      out.push(distinct[Math.floor(i / 2)]);
      replays++;
    }
  }
  if (out.length !== N) throw new Error(`built ${out.length} deliveries, expected ${N}`);
  return out;
}

// CUSTOMERS linked Stripe customers (ACTIVE, no plan, no accounts) and the N deliveries for them.
export async function benchDeliveries(prisma: DB): Promise<Delivery[]> {
  const tag = randomBytes(3).toString("hex");
  const customers = [];
  for (let i = 0; i < CUSTOMERS; i++) {
    const stripeCustomerId = `cus_${tag}${i}`;
    await prisma.customer.create({
      data: { name: `Bench ${i}`, contactEmail: `bench${i}@example.test`, stripeCustomerId },
    });
    customers.push({ stripeCustomerId, subId: `sub_${tag}${i}` });
  }
  return buildDeliveries(customers, tag);
}
