// Where to go after signing in: only a path on this console, normalised the way a browser will
// read it. Used by the login form and next-auth's redirect callback (lib/auth/options.ts).
// Plain code without server imports: the login form runs it in the browser too.

const PROBE_ORIGIN = "http://parley.invalid";

export function safeReturnPath(candidate: unknown, fallback = "/"): string {
  if (typeof candidate !== "string" || !candidate.startsWith("/")) return fallback;
  let url: URL;
  try {
    // The URL parser is what browsers use: it drops tabs and newlines, reads "\" as "/", and
    // so reveals "/\host", "/%09/host" (once decoded) and friends as another host.
    url = new URL(candidate, PROBE_ORIGIN);
  } catch {
    return fallback;
  }
  if (url.origin !== PROBE_ORIGIN) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  // "/.//host" normalises to "//host", which a browser would read as another host.
  if (!path.startsWith("/") || path.startsWith("//")) return fallback;
  return path;
}

// next-auth hands absolute URLs on this console's base as well as relative ones.
export function safeRedirectUrl(url: string, baseUrl: string): string {
  const base = new URL(baseUrl);
  let candidate: string = url;
  if (!url.startsWith("/")) {
    try {
      const absolute = new URL(url);
      candidate =
        absolute.origin === base.origin
          ? `${absolute.pathname}${absolute.search}${absolute.hash}`
          : "";
    } catch {
      candidate = "";
    }
  }
  return `${base.origin}${safeReturnPath(candidate)}`;
}
