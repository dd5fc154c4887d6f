import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import Stripe from "stripe";
import { prisma } from "@/core/db";
import { handleStripeWebhook } from "@/lib/billing/webhook";
import { syncCustomerBilling } from "@/lib/billing/lifecycle";
import {
  ZAuditListParams,
  listAuditEvents,
  listCustomerAuditEvents,
  listRecentAuditEvents,
} from "@/lib/audit/queries";
import { ZJobListParams, countJobsNeedingAttention, listJobs } from "@/lib/jobs/queries";
import { recordAudit } from "@/lib/audit/record-audit";
import { createWorld, type World } from "../helpers/fixtures";
import { stripeEventPayload, subscriptionFixture } from "../harness/stripe-double";

// Billing is admin-only. The attack: a support member reads every query behind a page they may
// open (audit list with each filter, a customer's activity, the console overview, the job list)
// after real billing functions have written their audit rows and jobs.
const SECRET = "whsec_attack_08_0123456789";
const uniq = () => randomBytes(5).toString("hex");
const STRIPE_ID = /\b(cus|sub|in|evt|price|cs|pi|ch)_[A-Za-z0-9]+/;
const sign = (payload: string) =>
  Stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET });

async function deliver(type: string, object: object) {
  const body = stripeEventPayload(type, object, { apiVersion: Stripe.API_VERSION });
  const r = await handleStripeWebhook(body, sign(body));
  expect(r.status).toBe(200);
}

let w: World;
beforeEach(() => {
  process.env.STRIPE_WEBHOOK_SECRET = SECRET;
});
afterEach(() => {
  delete process.env.STRIPE_WEBHOOK_SECRET;
});

beforeAll(async () => {
  process.env.STRIPE_WEBHOOK_SECRET = SECRET;
  w = await createWorld();
  const stripeCustomerId = `cus_${uniq()}`;
  await prisma.customer.update({ where: { id: w.customerId }, data: { stripeCustomerId } });
  const subId = `sub_${uniq()}`;
  // Through the real webhook (payload mode): subscription past due → customer past due.
  await deliver(
    "customer.subscription.created",
    subscriptionFixture({ id: subId, customer: stripeCustomerId, status: "past_due" }),
  );
  await syncCustomerBilling(w.customerId);
  await deliver("customer.deleted", { id: stripeCustomerId, object: "customer" });
  // The billing job, failed with the message Stripe gave (which names the subscription).
  await prisma.job.create({
    data: {
      type: "billing.tick",
      payload: {},
      status: "FAILED",
      lastError: `No such subscription: '${subId}'`,
    },
  });
  // And something support may see about the same customer.
  await recordAudit({
    actor: w.admin,
    action: "customer.updated",
    targetType: "customer",
    targetId: w.customerId,
    customerId: w.customerId,
  });
  delete process.env.STRIPE_WEBHOOK_SECRET;
});

const A = (raw: Record<string, string>) => ZAuditListParams.parse({ size: "100", ...raw });
const J = (raw: Record<string, string>) => ZJobListParams.parse({ size: "100", ...raw });

async function everySupportVisibleRead(viewer: World["support"]) {
  const audit = await listAuditEvents(viewer, A({ size: "25" }));
  return {
    audit,
    auditOfCustomer: await listAuditEvents(viewer, A({ customer: w.customerId })),
    auditFilteredBilling: await listAuditEvents(viewer, A({ action: "billing." })),
    auditFilteredCustomerBilling: await listAuditEvents(viewer, A({ action: "customer.billing" })),
    auditSearched: await listAuditEvents(viewer, A({ q: w.customerId })),
    auditPage2: await listAuditEvents(viewer, A({ size: "25", after: audit.next ?? "" })),
    customerPage: await listCustomerAuditEvents(viewer, w.customerId, 50),
    recent: await listRecentAuditEvents(viewer, 50),
    jobs: await listJobs(viewer, J({})),
    failedJobs: await listJobs(viewer, J({ status: "FAILED" })),
    billingTypeJobs: await listJobs(viewer, J({ type: "billing" })),
    searchedJobs: await listJobs(viewer, J({ q: "No such subscription" })),
    jobCounts: await countJobsNeedingAttention(viewer),
  };
}

const billingActions = (reads: Awaited<ReturnType<typeof everySupportVisibleRead>>) =>
  [
    ...reads.audit.rows,
    ...reads.auditOfCustomer.rows,
    ...reads.auditFilteredBilling.rows,
    ...reads.auditFilteredCustomerBilling.rows,
    ...reads.auditSearched.rows,
    ...reads.auditPage2.rows,
    ...reads.customerPage,
    ...reads.recent,
  ]
    .map((e) => e.action)
    .filter((a) => /^billing\.|^customer\.billing_/.test(a));

describe("11.8 support sees billing: billing audit and jobs are admin-only", () => {
  it("an admin sees the billing events and the billing job (the seed is real)", async () => {
    const reads = await everySupportVisibleRead(w.admin);
    expect(billingActions(reads)).toEqual(
      expect.arrayContaining([
        "billing.subscription.synced",
        "billing.customer.unlinked",
        "customer.billing_past_due",
      ]),
    );
    expect(JSON.stringify(reads)).toMatch(STRIPE_ID);
    for (const list of [reads.jobs, reads.billingTypeJobs, reads.searchedJobs])
      expect(list.rows.map((j) => j.type)).toContain("billing.tick");
  });

  it("a support member gets no billing event, no billing job and no Stripe id from any read", async () => {
    const reads = await everySupportVisibleRead(w.support);
    expect(billingActions(reads)).toEqual([]);
    for (const list of [reads.jobs, reads.failedJobs, reads.billingTypeJobs, reads.searchedJobs])
      expect(list.rows.map((j) => j.type)).not.toContain("billing.tick");
    expect(JSON.stringify(reads).match(STRIPE_ID)?.[0] ?? null).toBeNull();
    // The counts match the list support sees: no hidden billing job is counted.
    const failed = reads.jobCounts.find((c) => c.status === "FAILED")!.count;
    expect(failed).toEqual(reads.failedJobs.count);
    expect(reads.billingTypeJobs.count.value).toBe(0);
    expect(reads.searchedJobs.count.value).toBe(0);
    // Support still sees the rest of the customer's history.
    expect(reads.auditOfCustomer.rows.length).toBeGreaterThan(0);
    expect(reads.customerPage.length).toBeGreaterThan(0);
  });
});
