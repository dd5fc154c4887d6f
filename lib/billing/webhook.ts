// A pure function of (raw body, signature header) so tests, benchmarks and the route share
// it; the route (app/api/webhooks/stripe/route.ts) only adapts HTTP.
import Stripe from "stripe";
import { prisma, sqlOf } from "@/core/db";
import { now } from "@/core/clock";
import { logError } from "@/core/log";
import { webhookSecret } from "@/lib/billing/stripe-client";
import { handleCheckoutSessionCompleted } from "@/lib/billing/events/checkout-session-completed";
import { handleCustomerSubscriptionCreated } from "@/lib/billing/events/customer-subscription-created";
import { handleCustomerSubscriptionUpdated } from "@/lib/billing/events/customer-subscription-updated";
import { handleCustomerSubscriptionDeleted } from "@/lib/billing/events/customer-subscription-deleted";
import { handleInvoicePaid } from "@/lib/billing/events/invoice-paid";
import { handleInvoicePaymentFailed } from "@/lib/billing/events/invoice-payment-failed";
import { handleCustomerDeleted } from "@/lib/billing/events/customer-deleted";

// Stripe's event payloads are a few KiB; anything this large is not from Stripe.
export const MAX_WEBHOOK_BODY_BYTES = 256 * 1024;

export type WebhookResult = { status: number; message: string; retryAfterSeconds?: number };

// One handler per event type, each in its own file under lib/billing/events/.
async function dispatch(event: Stripe.Event): Promise<string | null> {
  switch (event.type) {
    case "checkout.session.completed":
      return handleCheckoutSessionCompleted(event);
    case "customer.subscription.created":
      return handleCustomerSubscriptionCreated(event);
    case "customer.subscription.updated":
      return handleCustomerSubscriptionUpdated(event);
    case "customer.subscription.deleted":
      return handleCustomerSubscriptionDeleted(event);
    case "invoice.paid":
      return handleInvoicePaid(event);
    case "invoice.payment_failed":
      return handleInvoicePaymentFailed(event);
    case "customer.deleted":
      return handleCustomerDeleted(event);
    default:
      return null;
  }
}

// A PROCESSING lease older than this belongs to a delivery that died mid-way (crash, deploy):
// the next delivery of the event takes it over instead of being asked to retry later.
export const ABANDONED_CLAIM_MS = 5 * 60_000;
// Seconds a repeat of an event still being applied is asked to wait (Stripe retries any non-2xx).
const IN_PROGRESS_RETRY_AFTER_S = 60;

type Claim = { attempt: number } | { answer: WebhookResult };

// Takes the event for this delivery: a new id, a FAILED one, or a stale PROCESSING lease. Any
// other state is answered without running: DONE as a duplicate (2xx, Stripe stops), PROCESSING
// with 409 so Stripe keeps retrying until the running delivery's outcome is known.
// One statement inserts the row or takes it over (the upsert's WHERE is a compare-and-set, so of
// several repeats one takes the event over); it never fails on the key, so a replay costs no
// error (on PostgreSQL a failed statement also costs the pool its connection).
async function claimEvent(event: Stripe.Event): Promise<Claim> {
  const sql = sqlOf(prisma);
  const at = now();
  const stale = new Date(at.getTime() - ABANDONED_CLAIM_MS);
  const [taken] = await sql.query<{ attempts: number }>(
    `INSERT INTO "StripeEvent" ("id", "type", "created", "state", "attempts", "receivedAt")
    VALUES ($1, $2, $3, 'PROCESSING', 1, $4)
    ON CONFLICT ("id") DO UPDATE SET
      "state" = 'PROCESSING', "attempts" = "StripeEvent"."attempts" + 1, "receivedAt" = $4
    WHERE "StripeEvent"."state" = 'FAILED'
      OR ("StripeEvent"."state" = 'PROCESSING' AND "StripeEvent"."receivedAt" < $5)
    RETURNING "attempts"`,
    [event.id, event.type, event.created, at, stale],
    true,
  );
  if (taken) return { attempt: Number(taken.attempts) };
  const [row] = await sql.query<{ state: string }>(
    `SELECT "state" FROM "StripeEvent" WHERE "id" = $1`,
    [event.id],
    true,
  );
  if (!row) return claimEvent(event); // settled and pruned between the two statements
  if (row.state === "DONE")
    return { answer: { status: 200, message: `Duplicate event ${event.id}: already received` } };
  return {
    answer: {
      status: 409,
      message: `Event ${event.id} is still being processed; retry later`,
      retryAfterSeconds: IN_PROGRESS_RETRY_AFTER_S,
    },
  };
}

// Settles the attempt that holds the event; a late attempt whose lease was taken over changes nothing.
async function settleEvent(id: string, attempt: number, state: "DONE" | "FAILED") {
  await sqlOf(prisma).execute(
    `UPDATE "StripeEvent" SET "state" = $1, "processedAt" = $2
    WHERE "id" = $3 AND "attempts" = $4 AND "state" = 'PROCESSING'`,
    [state, state === "DONE" ? now() : null, id, attempt],
    true,
  );
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

export async function handleStripeWebhook(
  rawBody: string,
  signature: string | null,
): Promise<WebhookResult> {
  const secret = webhookSecret();
  if (!secret)
    return { status: 503, message: "Billing is not configured (STRIPE_WEBHOOK_SECRET is not set)" };
  if (Buffer.byteLength(rawBody, "utf8") > MAX_WEBHOOK_BODY_BYTES) {
    return { status: 413, message: `Payload larger than ${MAX_WEBHOOK_BODY_BYTES} bytes` };
  }
  if (!signature) return { status: 400, message: "Missing Stripe-Signature header" };

  let event: Stripe.Event;
  try {
    event = Stripe.webhooks.constructEvent(rawBody, signature, secret);
  } catch (error) {
    return {
      status: 400,
      message: `Webhook signature verification failed: ${(error as Error).message}`,
    };
  }
  // A validly signed body can still be any JSON value (null, 42, "x", []).
  const candidate: unknown = event;
  if (
    !isObject(candidate) ||
    typeof candidate.id !== "string" ||
    typeof candidate.type !== "string" ||
    !Number.isInteger(candidate.created)
  ) {
    return {
      status: 400,
      message:
        "Signed payload is not a Stripe event (expected an object with id, type and created)",
    };
  }

  // Id, type and time only: nothing from the payload is kept.
  const claim = await claimEvent(event);
  if ("answer" in claim) return claim.answer;

  let outcome: string | null;
  try {
    outcome = await dispatch(event);
  } catch (error) {
    // Keep the row as FAILED: Stripe's retry (this delivery answers 500) takes it over.
    await settleEvent(event.id, claim.attempt, "FAILED").catch(() => undefined);
    logError("billing", `${event.type} ${event.id} failed: ${(error as Error).message}`);
    return { status: 500, message: `Processing ${event.type} failed; Stripe will retry` };
  }
  await settleEvent(event.id, claim.attempt, "DONE");
  return outcome === null
    ? { status: 200, message: `Event type ${event.type} ignored` }
    : { status: 200, message: `${event.type}: ${outcome}` };
}
