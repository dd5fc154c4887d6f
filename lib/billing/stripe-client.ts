// No "server-only" here: the provisioning worker and scripts may use the Stripe client too.
import Stripe from "stripe";

// Billing is optional. Without STRIPE_SECRET_KEY there is no client (billing is off);
// without STRIPE_WEBHOOK_SECRET the webhook endpoint answers 503.
// STRIPE_API_HOST / STRIPE_API_PORT / STRIPE_API_PROTOCOL point the SDK elsewhere than
// api.stripe.com: a local test double (tests/harness/stripe-double.ts) or an egress proxy.

const REQUEST_TIMEOUT_MS = 20_000;
const MAX_NETWORK_RETRIES = 2;

let cached: { signature: string; client: Stripe } | undefined;

function envSignature(): string {
  const e = process.env;
  return [e.STRIPE_SECRET_KEY, e.STRIPE_API_HOST, e.STRIPE_API_PORT, e.STRIPE_API_PROTOCOL].join("\u0000");
}

// One client per configuration; re-created when the environment changes (tests switch it).
export function stripeClient(): Stripe | null {
  const key = process.env.STRIPE_SECRET_KEY?.trim();
  if (!key) return null;
  const signature = envSignature();
  if (cached?.signature === signature) return cached.client;
  const protocol = process.env.STRIPE_API_PROTOCOL?.trim();
  if (protocol && protocol !== "http" && protocol !== "https") {
    throw new Error(`STRIPE_API_PROTOCOL must be "http" or "https", not "${protocol}"`);
  }
  const port = process.env.STRIPE_API_PORT?.trim();
  const client = new Stripe(key, {
    maxNetworkRetries: MAX_NETWORK_RETRIES,
    timeout: REQUEST_TIMEOUT_MS,
    appInfo: { name: "Parley" },
    ...(process.env.STRIPE_API_HOST?.trim() ? { host: process.env.STRIPE_API_HOST.trim() } : {}),
    ...(port ? { port: Number(port) } : {}),
    ...(protocol ? { protocol: protocol as "http" | "https" } : {}),
  });
  cached = { signature, client };
  return client;
}

export function billingEnabled(): boolean {
  return Boolean(process.env.STRIPE_SECRET_KEY?.trim());
}

// The endpoint secret ("whsec_…") that signs webhook deliveries; null when not configured.
export function webhookSecret(): string | null {
  return process.env.STRIPE_WEBHOOK_SECRET?.trim() || null;
}
