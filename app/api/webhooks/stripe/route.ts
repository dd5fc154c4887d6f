import { handleStripeWebhook, MAX_WEBHOOK_BODY_BYTES } from "@/lib/billing/webhook";

// Reads at most limit + 1 bytes, so an oversized body is never buffered whole.
async function readBounded(request: Request, limit: number): Promise<string | null> {
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (declared > limit) return null;
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

// Public by design: Stripe's signature (checked in lib/billing/webhook.ts) is the authorization.
// The raw text is needed for the signature, so the body is never parsed here.
export async function POST(request: Request): Promise<Response> {
  const body = await readBounded(request, MAX_WEBHOOK_BODY_BYTES);
  const { status, message, retryAfterSeconds } =
    body === null
      ? { status: 413, message: `Payload larger than ${MAX_WEBHOOK_BODY_BYTES} bytes` }
      : await handleStripeWebhook(body, request.headers.get("stripe-signature"));
  const headers: Record<string, string> = { "Cache-Control": "no-store" };
  if (retryAfterSeconds) headers["Retry-After"] = String(retryAfterSeconds);
  return Response.json({ message }, { status, headers });
}
