import { z } from "zod";
import { logError } from "@/core/log";
import { isValidDomain } from "@/provisioning/names";
import { providerFileForDomain, type BuiltProviderFile } from "./build-provider-file";

// Answers GET /.well-known/xmpp-provider-v2.json. The domain is `?domain=` when given (a reverse
// proxy that cannot pass the Host header on), else the Host header, without its port. Only an
// enabled server's own domain has a file; anything else is 404.

const ZDomain = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .refine(isValidDomain, "not a domain")
  .transform((d) => d.replace(/\.$/, ""));

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(`${JSON.stringify(body, null, 2)}\n`, {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
  });

// The host a request was sent to: "chat.example.org:443" → "chat.example.org".
function hostOf(request: Request): string | null {
  const host = request.headers.get("host");
  if (!host || host.startsWith("[")) return null;
  return host.replace(/:\d+$/, "");
}

// The built file as a response; invalid against the schema, it is never sent.
export function providerFileResponse(
  built: BuiltProviderFile,
  headers: Record<string, string>,
): Response {
  if (!built.schema.valid) {
    logError(
      "provider-file",
      `${built.server.domain}: not served, fails the schema: ${built.schema.errors.join("; ")}`,
    );
    return json(503, { message: "This provider file is being corrected. Try again later." });
  }
  return json(200, built.document, headers);
}

export async function serveProviderFile(request: Request): Promise<Response> {
  const asked = new URL(request.url).searchParams.get("domain");
  const parsed = ZDomain.safeParse(asked ?? hostOf(request) ?? "");
  if (!parsed.success) {
    return asked === null
      ? json(404, { message: "No provider file for this host." })
      : json(400, { message: "domain must be a server domain, like chat.example.org." });
  }
  const built = await providerFileForDomain(parsed.data);
  if (!built) return json(404, { message: "No provider file for this domain." });
  return providerFileResponse(built, {
    // Anyone may fetch it, browsers of other sites included (the project's tools do).
    "access-control-allow-origin": "*",
    // Short, so a changed policy shows within minutes.
    "cache-control": "public, max-age=300",
  });
}
