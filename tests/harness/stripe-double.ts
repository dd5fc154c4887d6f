// TEST DOUBLE of Stripe's HTTP API (not Stripe, not stripe-mock): a real http.createServer on
// 127.0.0.1 that the REAL `stripe` SDK talks to when STRIPE_API_HOST/PORT/PROTOCOL point at it.
// It records every request and answers GET /v1/subscriptions/:id with the fixture last given to
// setSubscription() (slowed by slowNext(), or a 500 for the next failNext() reads), creates Checkout and Customer Portal sessions (returning a URL on the
// double itself); everything else is a 404 in Stripe's error format.
import http from "node:http";
import type { AddressInfo } from "node:net";
import type Stripe from "stripe";

export type RecordedRequest = {
  method: string;
  path: string;
  params: Record<string, string>;
  idempotencyKey: string | null;
  stripeVersion: string | null;
};

export type StripeDouble = {
  port: number;
  url: string;
  requests: RecordedRequest[];
  setSubscription(sub: Stripe.Subscription): void;
  // The next `count` subscription reads wait `ms` before answering (a slow Stripe).
  slowNext(ms: number, count?: number): void;
  // The next `count` subscription reads answer 500 (after any delay from slowNext).
  failNext(count?: number): void;
  stop(): Promise<void>;
};

function notFound(res: http.ServerResponse, message: string) {
  res.writeHead(404, { "content-type": "application/json", "request-id": "req_double" });
  res.end(
    JSON.stringify({ error: { type: "invalid_request_error", code: "resource_missing", message } }),
  );
}

export async function startStripeDouble(): Promise<StripeDouble> {
  const subscriptions = new Map<string, Stripe.Subscription>();
  const requests: RecordedRequest[] = [];
  const slow = { ms: 0, count: 0 };
  let failures = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const body = Buffer.concat(chunks).toString("utf8");
      const params = Object.fromEntries(
        new URLSearchParams(req.method === "GET" ? url.search : body),
      );
      requests.push({
        method: req.method ?? "GET",
        path: url.pathname,
        params,
        idempotencyKey: (req.headers["idempotency-key"] as string | undefined) ?? null,
        stripeVersion: (req.headers["stripe-version"] as string | undefined) ?? null,
      });
      const match = /^\/v1\/subscriptions\/([^/]+)$/.exec(url.pathname);
      if (req.method === "GET" && match) {
        const delay = slow.count > 0 ? (slow.count--, slow.ms) : 0;
        const fail = failures > 0 ? (failures--, true) : false;
        setTimeout(() => {
          if (fail) {
            res.writeHead(500, { "content-type": "application/json", "request-id": "req_double" });
            return res.end(
              JSON.stringify({ error: { type: "api_error", message: "Stripe double: failing" } }),
            );
          }
          const sub = subscriptions.get(decodeURIComponent(match[1]));
          if (!sub) return notFound(res, `No such subscription: '${match[1]}'`);
          res.writeHead(200, { "content-type": "application/json", "request-id": "req_double" });
          res.end(JSON.stringify(sub));
        }, delay);
        return;
      }
      // Sessions: just enough of the objects for the SDK and Parley (id, url).
      if (req.method === "POST" && url.pathname === "/v1/checkout/sessions") {
        const id = `cs_test_${requests.length}`;
        const session: Pick<
          Stripe.Checkout.Session,
          "id" | "object" | "url" | "mode" | "client_reference_id"
        > = {
          id,
          object: "checkout.session",
          url: `http://127.0.0.1:${port}/checkout/${id}`,
          mode: "subscription",
          client_reference_id: params.client_reference_id ?? null,
        };
        res.writeHead(200, { "content-type": "application/json", "request-id": "req_double" });
        return res.end(JSON.stringify(session));
      }
      if (req.method === "POST" && url.pathname === "/v1/billing_portal/sessions") {
        const session: Pick<Stripe.BillingPortal.Session, "id" | "object" | "url" | "customer"> = {
          id: `bps_${requests.length}`,
          object: "billing_portal.session",
          url: `http://127.0.0.1:${port}/portal/${params.customer}`,
          customer: params.customer,
        };
        res.writeHead(200, { "content-type": "application/json", "request-id": "req_double" });
        return res.end(JSON.stringify(session));
      }
      notFound(
        res,
        `Unrecognized request URL (${req.method}: ${url.pathname}) in the Stripe test double`,
      );
    });
  });
  let port = 0;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    requests,
    setSubscription: (sub) => void subscriptions.set(sub.id, sub),
    slowNext: (ms, count = 1) => void Object.assign(slow, { ms, count }),
    failNext: (count = 1) => void (failures = count),
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

export type SubscriptionFixture = {
  id: string;
  customer: string;
  status: Stripe.Subscription.Status;
  priceId?: string;
  currentPeriodEnd?: number;
  cancelAtPeriodEnd?: boolean;
  canceledAt?: number | null;
  metadata?: Record<string, string>;
  created?: number;
};

// A subscription as the pinned API version shapes it (billing period on the items). Only the
// fields Parley reads, plus identity fields, are filled in; the cast states that explicitly.
export function subscriptionFixture(f: SubscriptionFixture): Stripe.Subscription {
  const created = f.created ?? 1_795_000_000;
  const item: Pick<
    Stripe.SubscriptionItem,
    | "id"
    | "object"
    | "created"
    | "current_period_start"
    | "current_period_end"
    | "metadata"
    | "subscription"
  > & {
    price: Pick<Stripe.Price, "id" | "object">;
  } = {
    id: `si_${f.id}`,
    object: "subscription_item",
    created,
    subscription: f.id,
    metadata: {},
    current_period_start: created,
    current_period_end: f.currentPeriodEnd ?? created + 30 * 86_400,
    price: { id: f.priceId ?? "price_standard", object: "price" },
  };
  const sub: Pick<
    Stripe.Subscription,
    | "id"
    | "object"
    | "customer"
    | "status"
    | "cancel_at_period_end"
    | "canceled_at"
    | "created"
    | "start_date"
    | "livemode"
    | "metadata"
    | "currency"
  > & {
    items: { object: "list"; data: (typeof item)[]; has_more: boolean; url: string };
  } = {
    id: f.id,
    object: "subscription",
    customer: f.customer,
    status: f.status,
    currency: "eur",
    livemode: false,
    cancel_at_period_end: f.cancelAtPeriodEnd ?? false,
    canceled_at: f.canceledAt ?? null,
    created,
    start_date: created,
    metadata: f.metadata ?? {},
    items: {
      object: "list",
      data: [item],
      has_more: false,
      url: `/v1/subscription_items?subscription=${f.id}`,
    },
  };
  return sub as unknown as Stripe.Subscription;
}

// A webhook event body as Stripe sends it (sign it with Stripe.webhooks.generateTestHeaderString).
export function stripeEventPayload(
  type: string,
  object: object,
  opts: { id?: string; created?: number; apiVersion?: string } = {},
): string {
  return JSON.stringify({
    id: opts.id ?? `evt_${Math.random().toString(16).slice(2, 12)}`,
    object: "event",
    api_version: opts.apiVersion ?? null,
    created: opts.created ?? Math.floor(Date.now() / 1000),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
    data: { object },
  });
}
