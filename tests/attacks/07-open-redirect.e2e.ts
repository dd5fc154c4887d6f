import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { startParley, type ParleyServer } from "../helpers/e2e-server";
import { HttpClient } from "../helpers/e2e-http";
import { launchChromium, newPage } from "../helpers/e2e-browser";

// The attack over HTTP: a link to the real console's /login with a hostile callbackUrl; the
// victim signs in as usual and must end up on the console, not on the attacker's host.
const HOSTILE = [
  "/%5Chost.invalid",
  "/%09/host.invalid",
  "/%0A/host.invalid",
  "/%5C%5Chost.invalid",
  "//host.invalid",
  "/%2F%2Fhost.invalid",
  "/.//host.invalid",
  "https://host.invalid/",
  "javascript:alert(document.domain)",
];

describe("11.7 open redirect: sign-in never leaves the console", () => {
  let server: ParleyServer;
  let browser: Browser;
  let email = "";
  let password = "";

  beforeAll(async () => {
    server = await startParley();
    process.env.DATABASE_URL = `file:${server.dbFile}`;
    delete (globalThis as { parleyPrisma?: unknown }).parleyPrisma;
    const { createUser, FIXTURE_PASSWORD } = await import("../helpers/fixtures");
    // A portal user: signs in without a second factor, so the flow is login → callbackUrl.
    const { prisma } = await import("@/core/db");
    const customer = await prisma.customer.create({
      data: { name: "Redirect victim", contactEmail: "victim@parley.test" },
    });
    // An admin exists, so /login shows its form rather than "finish setting up".
    await createUser("ADMIN");
    email = (await createUser("CUSTOMER", customer.id)).email;
    password = FIXTURE_PASSWORD;
    browser = await launchChromium();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    const holder = globalThis as { parleyPrisma?: { $disconnect: () => Promise<void> } };
    await holder.parleyPrisma?.$disconnect();
    await server?.dispose();
  });

  for (const raw of HOSTILE) {
    it(`/login?callbackUrl=${raw} lands on the console after signing in`, async () => {
      const { context, page } = await newPage(browser, server.url);
      const origin = new URL(server.url).origin;
      const visited: string[] = [];
      page.on("framenavigated", (frame) => {
        if (frame === page.mainFrame()) visited.push(frame.url());
      });
      // Any request to another host is the attack succeeding: note it and stop it there.
      const offConsole: string[] = [];
      await context.route(
        (url) => url.origin !== origin,
        (route) => {
          offConsole.push(route.request().url());
          return route.abort();
        },
      );
      try {
        await page.goto(`/login?callbackUrl=${raw}`);
        await page.locator("#email").fill(email);
        await page.locator("#password").fill(password);
        await page.getByRole("button", { name: "Sign in" }).click();
        // An aborted navigation off the console rejects here; the assertions below say where.
        await page
          .waitForURL((url) => url.pathname !== "/login", { waitUntil: "commit" })
          .catch(() => undefined);
        await page.waitForLoadState("load").catch(() => undefined);
        await page.waitForTimeout(500);
        expect(offConsole, `requests off the console for ${raw}`).toEqual([]);
        const escaped = visited.filter((u) => !u.startsWith(`${origin}/`));
        expect(escaped, `navigations off the console for ${raw}`).toEqual([]);
        expect(new URL(page.url()).pathname).not.toBe("/login");
      } finally {
        await context.close();
      }
    });
  }

  it("next-auth's own sign-in endpoint answers with a URL on the console for each hostile callbackUrl", async () => {
    for (const raw of HOSTILE) {
      const client = new HttpClient(server.url);
      const csrf = await client.request("/api/auth/csrf");
      const { csrfToken } = JSON.parse(csrf.body) as { csrfToken: string };
      const res = await client.postForm("/api/auth/callback/credentials", {
        csrfToken,
        email,
        password,
        code: "",
        callbackUrl: decodeURIComponent(raw),
        json: "true",
      });
      expect(res.status, raw).toBe(200);
      const { url } = JSON.parse(res.body) as { url: string };
      const target = new URL(url, server.url);
      expect(target.origin, `${raw} → ${url}`).toBe(new URL(server.url).origin);
      expect(target.pathname.startsWith("//"), `${raw} → ${url}`).toBe(false);
    }
  });
});
