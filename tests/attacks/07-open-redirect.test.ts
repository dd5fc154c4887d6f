import { describe, expect, it } from "vitest";
import { safeRedirectUrl, safeReturnPath } from "@/lib/auth/return-path";

// What an attacker puts after /login?callbackUrl=, as the login form reads it (decoded by
// URLSearchParams, exactly like useSearchParams().get()).
const HOSTILE = [
  "/%5Chost",
  "/%5C%5Chost",
  "/%09/host",
  "/%0A/host",
  "/%0D%0A/host",
  "//host",
  "///host",
  "/%2F%2Fhost",
  "/%2F/host",
  "/.//host",
  "/%2E//host",
  "\\\\host",
  "/\\host",
  "https://evil.example",
  "http:evil.example",
  "//evil.example/console",
  "javascript:alert(1)",
  "JaVaScRiPt:alert(1)",
  "data:text/html,hi",
  " /host",
  "%2F%2Fhost",
  "",
];
const readAsLoginForm = (raw: string) =>
  new URLSearchParams(`callbackUrl=${raw}`).get("callbackUrl");

// Where a browser on the console's origin would go with the result.
const landsOn = (path: string) => new URL(path, "http://console.test").origin;

describe("11.7 open redirect: only same-origin paths survive", () => {
  it.each(HOSTILE)("callbackUrl=%s stays on the console", (raw) => {
    const path = safeReturnPath(readAsLoginForm(raw));
    expect(landsOn(path)).toBe("http://console.test");
    expect(path.startsWith("/") && !path.startsWith("//") && !path.includes("\\")).toBe(true);
  });

  it.each([
    ["/console/accounts?q=a#top", "/console/accounts?q=a#top"],
    ["/portal", "/portal"],
    ["/console/../portal", "/portal"],
  ])("a console path %s is kept, normalised (%s)", (raw, want) => {
    expect(safeReturnPath(readAsLoginForm(raw))).toBe(want);
  });

  it("next-auth's redirect callback keeps only this console's origin", () => {
    const base = "http://console.test:3000";
    for (const url of [
      "https://evil.example/console",
      "http://console.test:3000@evil.example/",
      "http://console.test:3001/console",
      "//evil.example",
      "/\\evil.example",
      "javascript:alert(1)",
    ])
      expect(new URL(safeRedirectUrl(url, base)).origin, url).toBe(base);
    expect(safeRedirectUrl(`${base}/console/audit?x=1`, base)).toBe(`${base}/console/audit?x=1`);
    expect(safeRedirectUrl("/portal", base)).toBe(`${base}/portal`);
  });
});
