// Every asset is served by Parley itself: the policy below forbids third-party loads.
const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/** @type {import('next').NextConfig} */
const nextConfig = {
  agentRules: false,
  // ssh2 loads optional native crypto at run time; @xmpp/client (the live evaluation's probe)
  // is a tree of small ESM packages meant for Node. Both stay out of the bundle.
  serverExternalPackages: ["ssh2", "@xmpp/client"],
  poweredByHeader: false,
  // lib/http/malformed-request.ts answers 413 above 1 MB everywhere but the CSV import page
  // (IMPORT_BODY_LIMIT_BYTES, the same as here).
  experimental: { serverActions: { bodySizeLimit: "6mb" } },
  // The XMPP Providers provider file (app/api/provider-file): Next.js does not route folders
  // whose names start with a dot, so the well-known address is rewritten to the handler.
  async rewrites() {
    return [{ source: "/.well-known/xmpp-provider-v2.json", destination: "/api/provider-file" }];
  },
  async headers() {
    return [
      // The logo and favicon: without a lifetime the browser asks again on every page view.
      {
        source: "/icon.svg",
        headers: [{ key: "Cache-Control", value: "public, max-age=86400" }],
      },
      {
        source: "/:path*",
        headers: [
          { key: "Content-Security-Policy", value: contentSecurityPolicy },
          { key: "Referrer-Policy", value: "no-referrer" },
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "X-Frame-Options", value: "DENY" },
          {
            key: "Permissions-Policy",
            value: "camera=(), microphone=(), geolocation=(), interest-cohort=()",
          },
        ],
      },
    ];
  },
};

export default nextConfig;
