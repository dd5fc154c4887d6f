import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { startParley, type ParleyServer } from "../helpers/e2e-server";
import {
  createFirstAdmin,
  launchChromium,
  newPage,
  signIn,
  TEST_PASSWORD,
  unique,
} from "../helpers/e2e-browser";

// A new install requires staff two-factor by default: its first admin, signed in without a
// second factor, reaches only the enrolment page, whatever address they type.
describe("11.15.1 staff two-factor on a new install", () => {
  let server: ParleyServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startParley();
    browser = await launchChromium();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it("is required by default; an unenrolled admin is kept on the enrolment page", async () => {
    const { context, page } = await newPage(browser, server.url);
    try {
      const admin = {
        name: "First",
        email: `${unique("first")}@parley.test`,
        password: TEST_PASSWORD,
      };
      await createFirstAdmin(page, server.setupUrl()!, admin, { requireStaffTwoFactor: true });
      await signIn(page, admin.email, admin.password);
      expect(new URL(page.url()).pathname).toBe("/console/security");
      await page.getByTestId("enrol-required").waitFor();
      for (const path of ["/console", "/console/audit", "/console/staff", "/console/customers"]) {
        await page.goto(path);
        expect(new URL(page.url()).pathname, path).toBe("/console/security");
      }
      // No menu to anything else while enrolment is due.
      expect(await page.getByRole("link", { name: "Audit" }).count()).toBe(0);
    } finally {
      await context.close();
    }
  });
});
