import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { startParley, type ParleyServer } from "../helpers/e2e-server";
import {
  createFirstAdmin,
  field,
  launchChromium,
  newPage,
  signIn,
  trySignIn,
  unique,
  TEST_PASSWORD,
} from "../helpers/e2e-browser";
import { linkIn, startSmtpSink, type SmtpSink } from "../harness/smtp-sink";

// A forgotten console password without asking anyone: the console mails over real SMTP
// (a loopback smtp-server) and the link works once.
describe("forgotten console password in Chromium", () => {
  let server: ParleyServer;
  let smtp: SmtpSink;
  let browser: Browser;
  const admin = {
    name: "Fern Forgetful",
    email: `${unique("fern")}@parley.test`.toLowerCase(),
    password: TEST_PASSWORD,
  };

  beforeAll(async () => {
    smtp = await startSmtpSink();
    server = await startParley({ env: { SMTP_URL: smtp.url, MAIL_FROM: "parley@parley.test" } });
    browser = await launchChromium();
    const { page, context } = await newPage(browser, server.url);
    await createFirstAdmin(page, server.setupUrl()!, admin);
    await context.close();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
    await smtp?.stop();
  });

  it("from the sign-in page to a new password by email; the link works once and the old password stops", async () => {
    const { page, context } = await newPage(browser, server.url);
    await page.goto("/login");
    await page.getByRole("link", { name: "Forgot your password?" }).click();
    await page.waitForURL((url) => url.pathname === "/forgot");
    await field(page, "Email").fill(admin.email.toUpperCase());
    await page.getByRole("button", { name: "Send link" }).click();
    await expect(page.getByTestId("form-success").innerText()).resolves.toContain("on its way");
    await expect.poll(() => smtp.mails.length).toBe(1);
    expect(smtp.mails[0].to).toEqual([admin.email]);
    const link = linkIn(smtp.mails[0], "/account/reset")!;
    expect(link.startsWith(server.url)).toBe(true);

    await page.goto(link);
    await field(page, "New password").fill("fern's new console passphrase");
    await field(page, "Repeat new password").fill("fern's new console passphrase");
    await page.getByRole("button", { name: "Set new password" }).click();
    await page.getByTestId("form-success").waitFor();
    await page.goto(link);
    await page.getByTestId("link-problem").waitFor();
    await context.close();

    const fresh = await newPage(browser, server.url);
    expect((await trySignIn(fresh.page, admin.email, admin.password)).result).not.toBe("signed-in");
    await signIn(fresh.page, admin.email, "fern's new console passphrase");
    await fresh.context.close();
  });

  it("an unknown email gets the same answer and no mail", async () => {
    const { page, context } = await newPage(browser, server.url);
    await page.goto("/forgot");
    await field(page, "Email").fill("nobody@parley.test");
    await page.getByRole("button", { name: "Send link" }).click();
    await expect(page.getByTestId("form-success").innerText()).resolves.toContain("on its way");
    await page.goto("/reset");
    await field(page, "Chat address").fill("nobody@example.org");
    await page.getByRole("button", { name: "Send reset link" }).click();
    await expect(page.getByTestId("form-success").innerText()).resolves.toContain(
      "If that address has a recovery email",
    );
    expect(smtp.mails).toHaveLength(1);
    await context.close();
  });
});
