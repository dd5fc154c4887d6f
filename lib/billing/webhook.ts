// A pure function of (raw body, signature header) so tests, benchmarks and the route share
// it; the route (app/api/webhooks/stripe/route.ts) only adapts HTTP.
import Stripe from "stripe";
import { prisma } from "@/core/db";
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

export type WebhookResult = { status: number; message: string };

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

// A row left unprocessed this long belongs to a delivery that died mid-way (crash, deploy):
// the next delivery of the event takes it over instead of being answered as a duplicate.
export const ABANDONED_CLAIM_MS = 5 * 60_000;

const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === "P2002";

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
  if (
    typeof event.id !== "string" ||
    typeof event.type !== "string" ||
    !Number.isInteger(event.created)
  ) {
    return { status: 400, message: "Signed payload is not a Stripe event" };
  }

  // The insert is the lock: a replay, or a concurrent delivery of the same event, hits the
  // primary key and is answered as a no-op. Id, type and time only: nothing from the payload.
  try {
    await prisma.stripeEvent.create({
      data: { id: event.id, type: event.type, created: event.created, receivedAt: now() },
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const takeover = await prisma.stripeEvent.updateMany({
      where: {
        id: event.id,
        processedAt: null,
        receivedAt: { lt: new Date(now().getTime() - ABANDONED_CLAIM_MS) },
      },
      data: { receivedAt: now() },
    });
    if (takeover.count === 0)
      return { status: 200, message: `Duplicate event ${event.id}: already received` };
  }

  let outcome: string | null;
  try {
    outcome = await dispatch(event);
  } catch (error) {
    // Forget the event so Stripe's retry is processed again.
    await prisma.stripeEvent.delete({ where: { id: event.id } }).catch(() => undefined);
    logError("billing", `${event.type} ${event.id} failed: ${(error as Error).message}`);
    return { status: 500, message: `Processing ${event.type} failed; Stripe will retry` };
  }
  await prisma.stripeEvent.update({ where: { id: event.id }, data: { processedAt: now() } });
  return outcome === null
    ? { status: 200, message: `Event type ${event.type} ignored` }
    : { status: 200, message: `${event.type}: ${outcome}` };
}
