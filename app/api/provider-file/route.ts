import { serveProviderFile } from "@/lib/provider-file/serve";

// Public by design: the XMPP Providers provider file, published at
// /.well-known/xmpp-provider-v2.json (next.config.js rewrites that address here: Next.js does not
// route folders whose names start with a dot). It states only what the provider publishes; the
// request is read for its domain alone and nothing about the caller is logged or kept.
export async function GET(request: Request): Promise<Response> {
  return serveProviderFile(request);
}
