import Stripe from "stripe";
import { getConfig } from "@/core/config";

// Billing is optional. Without STRIPE_SECRET_KEY there is no client (billing is off);
// without STRIPE_WEBHOOK_SECRET the webhook endpoint answers 503.
// STRIPE_API_HOST / STRIPE_API_PORT / STRIPE_API_PROTOCOL point the SDK elsewhere than
// api.stripe.com: a local test double (tests/harness/stripe-double.ts) or an egress proxy.

const REQUEST_TIMEOUT_MS = 20_000;
const MAX_NETWORK_RETRIES = 2;

let cached: { signature: string; client: Stripe } | undefined;

// One client per configuration; re-created when the configuration changes (tests switch it).
export function stripeClient(): Stripe | null {
  const { secretKey, apiHost, apiPort, apiProtocol } = getConfig().stripe;
  if (!secretKey) return null;
  const signature = [secretKey, apiHost, apiPort, apiProtocol].join("\u0000");
  if (cached?.signature === signature) return cached.client;
  const client = new Stripe(secretKey, {
    maxNetworkRetries: MAX_NETWORK_RETRIES,
    timeout: REQUEST_TIMEOUT_MS,
    appInfo: { name: "Parley" },
    ...(apiHost ? { host: apiHost } : {}),
    ...(apiPort ? { port: apiPort } : {}),
    ...(apiProtocol ? { protocol: apiProtocol } : {}),
  });
  cached = { signature, client };
  return client;
}

export function billingEnabled(): boolean {
  return Boolean(getConfig().stripe.secretKey);
}

// The endpoint secret ("whsec_…") that signs webhook deliveries; null when not configured.
export function webhookSecret(): string | null {
  return getConfig().stripe.webhookSecret;
}
