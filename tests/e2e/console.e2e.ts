import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generate } from "otplib";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { startParley, type ParleyServer } from "../helpers/e2e-server";
import {
  createFirstAdmin,
  field,
  launchChromium,
  newPage,
  signIn,
  signOut,
  trySignIn,
  unique,
  waitForPath,
  TEST_PASSWORD,
} from "../helpers/e2e-browser";
import { waitFor } from "../harness/processes";

// One server with a fresh database for the whole file; the steps build on each other
// (first admin → 2FA → staff → lockout → disable → customers and plans).

const STEP_SECONDS = 30;
const currentStep = () => Math.floor(Date.now() / 1000 / STEP_SECONDS);

// The server accepts the current step and one either side, but never a step it has
// already seen for the user (no replay): hand out a fresh step each time.
function totpSource(secret: () => string) {
  let lastUsed = 0;
  return async (): Promise<string> => {
    const step = Math.max(lastUsed + 1, currentStep());
    if (step > currentStep() + 1)
      await waitFor(async () => currentStep() + 1 >= step, "the next TOTP step", 35_000, 250);
    lastUsed = step;
    return generate({ secret: secret(), epoch: step * STEP_SECONDS + 1 });
  };
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const nav = (page: Page) => page.getByRole("navigation", { name: "Console" });
const path = (page: Page) => new URL(page.url()).pathname;

describe("console in Chromium", () => {
  let server: ParleyServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  // Every request any page makes, to prove nothing is loaded from a third party.
  const requested = new Set<string>();
  const cspHeaders = new Set<string>();
  const open = async () => {
    const opened = await newPage(browser, server.url);
    contexts.push(opened.context);
    opened.context.on("request", (request) => {
      requested.add(new URL(request.url()).origin);
    });
    opened.context.on("response", (response) => {
      const csp = response.headers()["content-security-policy"];
      if (csp && response.request().resourceType() === "document") cspHeaders.add(csp);
    });
    return opened.page;
  };

  const admin = {
    name: "Ada Admin",
    email: `${unique("admin")}@parley.test`.toLowerCase(),
    password: TEST_PASSWORD,
  };
  const support = {
    name: "Sam Support",
    email: `${unique("support")}@parley.test`.toLowerCase(),
    password: "support staff password 7",
  };
  let totpSecret = "";
  const adminCode = totpSource(() => totpSecret);
  let recoveryCodes: string[] = [];
  let shownAtEnrolment = -1;
  let adminPage: Page;
  let supportPage: Page; // stays signed in until the admin disables the support member
  let welcomeLink = "";

  beforeAll(async () => {
    server = await startParley();
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close();
    await server?.dispose();
  });

  it("creates the first admin with the printed setup link, which then stops working", async () => {
    const setupUrl = server.setupUrl();
    expect(setupUrl, `no PARLEY_SETUP_URL in the output:\n${server.output()}`).toMatch(
      new RegExp(`^${escapeRe(server.url)}/setup/[A-Za-z0-9_-]{20,}$`),
    );
    adminPage = await open();

    // A mismatch is refused with an error under the field, and nothing is created.
    await adminPage.goto(setupUrl!);
    await field(adminPage, "Your name").fill(admin.name);
    await field(adminPage, "Email").fill(admin.email);
    await field(adminPage, "Password").fill(admin.password);
    await field(adminPage, "Repeat password").fill(`${admin.password}x`);
    await adminPage.getByRole("button", { name: "Create admin" }).click();
    await expect
      .poll(() => adminPage.locator("#field-confirm-error").textContent())
      .toContain("do not match");
    await expect(adminPage.getByTestId("form-error").innerText()).resolves.toMatch(
      /fields need attention/,
    );

    await createFirstAdmin(adminPage, setupUrl!, admin);
    await adminPage.goto(setupUrl!);
    await expect(adminPage.getByTestId("link-problem").innerText()).resolves.toMatch(
      /already used|expired/,
    );
  });

  it("prompts a staff member without 2FA to enrol; enrolment turns it on and recovery codes can be made", async () => {
    await signIn(adminPage, admin.email, admin.password);
    expect(path(adminPage)).toBe("/console/security");
    expect(new URL(adminPage.url()).searchParams.get("prompt")).toBe("1");
    await adminPage.getByTestId("enrol-prompt").waitFor();

    await adminPage.getByRole("button", { name: "Set up two-factor sign-in" }).click();
    totpSecret = (await adminPage.getByTestId("totp-secret").innerText()).trim();
    expect(totpSecret).toMatch(/^[A-Z2-7]{16,}$/);

    // A code that matches no step near now is refused, and 2FA stays off.
    const near = await Promise.all(
      [-1, 0, 1].map((d) =>
        generate({ secret: totpSecret, epoch: (currentStep() + d) * STEP_SECONDS + 1 }),
      ),
    );
    let wrong = "123456";
    while (near.includes(wrong)) wrong = String((Number(wrong) + 1) % 1_000_000).padStart(6, "0");
    await field(adminPage, "6-digit code").fill(wrong);
    await adminPage.getByRole("button", { name: "Turn on" }).click();
    await adminPage.getByTestId("form-error").waitFor();
    expect(await adminPage.locator("#field-code-error").innerText()).toContain("did not match");
    expect(await adminPage.getByTestId("recovery-codes").count()).toBe(0);

    await field(adminPage, "6-digit code").fill(await adminCode());
    await adminPage.getByRole("button", { name: "Turn on" }).click();
    await adminPage
      .locator("[data-testid=recovery-codes], [data-testid=two-factor-on]")
      .first()
      .waitFor();
    shownAtEnrolment = await adminPage.getByTestId("recovery-codes").locator("li").count();
    await adminPage.reload();
    expect(await adminPage.getByTestId("enrol-prompt").count()).toBe(0);
    await expect(adminPage.getByTestId("two-factor-on").innerText()).resolves.toContain(
      "10 unused recovery codes",
    );

    // Fresh codes on demand, behind the current password.
    const regenerate = adminPage.locator("form", {
      has: adminPage.getByRole("button", { name: "Make new recovery codes" }),
    });
    await field(regenerate, "Current password").fill("not the password at all");
    await regenerate.getByRole("button", { name: "Make new recovery codes" }).click();
    await expect(regenerate.locator("#field-password-error").innerText()).resolves.toContain(
      "Not correct",
    );
    await field(regenerate, "Current password").fill(admin.password);
    await regenerate.getByRole("button", { name: "Make new recovery codes" }).click();
    const list = adminPage.getByTestId("recovery-codes");
    await list.waitFor();
    recoveryCodes = (await list.locator("li").allInnerTexts()).map((c) => c.trim());
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    for (const code of recoveryCodes) expect(code).toMatch(/^[0-9a-f]{4}(-[0-9a-f]{4}){3}$/);
  });

  // The codes of the enrolment stay on screen until the user says they saved them.
  it("shows the ten recovery codes right after turning two-factor sign-in on", () => {
    expect(shownAtEnrolment).toBe(10);
  });

  it("after sign-out, sign-in asks for the authenticator code and lands on the console", async () => {
    await signOut(adminPage);
    // Password alone is not enough any more: the form asks for the second step.
    await expect(trySignIn(adminPage, admin.email, admin.password)).resolves.toEqual({
      result: "code",
    });
    await signIn(adminPage, admin.email, admin.password, adminCode);
    expect(path(adminPage)).toBe("/console");
    expect(await adminPage.getByTestId("two-factor-prompt").count()).toBe(0);
  });

  it("a recovery code signs in once; the same code a second time is refused", async () => {
    await signOut(adminPage);
    await signIn(adminPage, admin.email, admin.password, recoveryCodes[0]);
    expect(path(adminPage)).toBe("/console");
    await adminPage.goto("/console/security");
    await expect(adminPage.getByTestId("two-factor-on").innerText()).resolves.toContain(
      "9 unused recovery codes",
    );

    await signOut(adminPage);
    const again = await trySignIn(adminPage, admin.email, admin.password, recoveryCodes[0]);
    expect(again.result).toBe("error");
    expect(again.result === "error" && again.message).toMatch(/code did not work/);
    expect(path(adminPage)).toBe("/login");

    // Another code from the same set still works (and spares waiting for a fresh TOTP step).
    await signIn(adminPage, admin.email, admin.password, recoveryCodes[1]);
    expect(path(adminPage)).toBe("/console");
  });

  it("shows empty states on a fresh install", async () => {
    for (const page of [
      "/console/customers",
      "/console/plans",
      "/console/accounts",
      "/console/rooms",
      "/console/invites",
      "/console/servers",
      "/console/jobs",
      "/console/outbox",
    ]) {
      const res = await adminPage.goto(page);
      expect(res?.status(), page).toBe(200);
      await expect(adminPage.getByTestId("empty-state").count(), page).resolves.toBe(1);
    }
  });

  it("the home page's dashboard draws its charts and says what is empty on a fresh install", async () => {
    const res = await adminPage.goto("/console");
    expect(res?.status()).toBe(200);
    await expect(adminPage.getByRole("heading", { name: "Getting started" }).count()).resolves.toBe(
      1,
    );
    await expect(adminPage.getByTestId("customers-empty").count()).resolves.toBe(1);
    await expect(adminPage.getByTestId("empty-state").innerText()).resolves.toContain(
      "No servers connected yet",
    );
    // Billing is off here: no revenue figures.
    await expect(adminPage.getByTestId("billing-mrr").count()).resolves.toBe(0);
    for (const key of ["signups", "accounts", "jobs", "failures"]) {
      const chart = adminPage.getByTestId(`chart-${key}`);
      const svg = chart.getByRole("img");
      await expect(svg.count(), key).resolves.toBe(1);
      await expect(svg.locator("rect").count(), key).resolves.toBe(30);
    }
    // For those who cannot see the bars, the same thirty days as one table, a column a chart.
    const table = adminPage.getByTestId("charts-table");
    await expect(table.locator("tbody tr").count()).resolves.toBe(30);
    await expect(table.locator("thead th").allTextContents()).resolves.toEqual([
      "Day",
      "Signups",
      "New chat accounts",
      "Jobs",
      "Jobs failed for good",
    ]);
    await expect(
      adminPage.getByTestId("chart-signups").locator("desc").textContent(),
    ).resolves.toBe("None in this period.");
    await expect(
      adminPage.getByRole("img", { name: /^Signups per day, \d{4}-\d{2}-\d{2} to / }).count(),
    ).resolves.toBe(1);
  });

  it("the admin invites a support member, who sets a password and signs in without Billing or Staff", async () => {
    await adminPage.goto("/console/staff");
    const invite = adminPage.locator("form", {
      has: adminPage.getByRole("button", { name: "Send invitation" }),
    });
    await field(invite, "Name").fill(support.name);
    await field(invite, "Email").fill(support.email);
    await field(invite, "Role").selectOption("SUPPORT");
    await invite.getByRole("button", { name: "Send invitation" }).click();
    welcomeLink = await invite.getByTestId("one-time-link").inputValue();
    expect(welcomeLink).toMatch(new RegExp(`^${escapeRe(server.url)}/welcome/[A-Za-z0-9_-]{20,}$`));
    await adminPage.reload();
    await expect(adminPage.getByTestId(`staff-${support.email}`).innerText()).resolves.toContain(
      "support",
    );

    // Not signed in yet: no password was set.
    const outsider = await open();
    expect((await trySignIn(outsider, support.email, support.password)).result).toBe("error");

    supportPage = await open();
    await supportPage.goto(welcomeLink);
    await field(supportPage, "Your name").fill(support.name);
    await field(supportPage, "Password").fill(support.password);
    await field(supportPage, "Repeat password").fill(support.password);
    await supportPage.getByRole("button", { name: "Save password" }).click();
    await supportPage.getByTestId("form-success").waitFor();

    await signIn(supportPage, support.email, support.password);
    expect(path(supportPage)).toBe("/console/security");
    await supportPage.getByTestId("enrol-prompt").waitFor();
    await expect(nav(supportPage).getByRole("link", { name: "Customers" }).count()).resolves.toBe(
      1,
    );
    await expect(nav(supportPage).getByRole("link", { name: "Billing" }).count()).resolves.toBe(0);
    await expect(nav(supportPage).getByRole("link", { name: "Staff" }).count()).resolves.toBe(0);
    // The admin's nav has both, so the counts above can fail.
    await adminPage.goto("/console");
    await expect(nav(adminPage).getByRole("link", { name: "Billing" }).count()).resolves.toBe(1);
    await expect(nav(adminPage).getByRole("link", { name: "Staff" }).count()).resolves.toBe(1);

    for (const hidden of ["/console/billing", "/console/staff"]) {
      const res = await supportPage.goto(hidden);
      expect(res?.status(), hidden).toBe(404);
      await supportPage.getByRole("heading", { name: "Not found" }).waitFor();
    }
    const adminRes = await adminPage.goto("/console/billing");
    expect(adminRes?.status()).toBe(200);

    // The welcome link is spent.
    await outsider.goto(welcomeLink);
    await outsider.getByTestId("link-problem").waitFor();
  });

  it("ten wrong passwords lock the account with the same message as an unknown email", async () => {
    const page = await open();
    const unknown = await trySignIn(page, `${unique("nobody")}@parley.test`, support.password);
    expect(unknown.result).toBe("error");
    const unknownMessage = unknown.result === "error" ? unknown.message : "";
    expect(unknownMessage).toMatch(/^Sign-in failed/);

    for (let i = 1; i <= 10; i++) {
      const wrong = await trySignIn(page, support.email, `wrong password number ${i}`);
      expect(wrong, `attempt ${i}`).toEqual({ result: "error", message: unknownMessage });
    }
    const locked = await trySignIn(page, support.email, support.password);
    expect(locked).toEqual({ result: "error", message: unknownMessage });

    await adminPage.goto("/console/staff");
    await expect(adminPage.getByTestId(`staff-${support.email}`).innerText()).resolves.toMatch(
      /locked until/,
    );
  });

  it("the admin unlocks the account, the audit log shows user.unlocked, and support can sign in again", async () => {
    await adminPage.goto("/console/staff");
    const card = adminPage.getByTestId(`staff-${support.email}`);
    await card.getByRole("button", { name: "Unlock" }).click();
    // The Unlock button goes away with the lock.
    await card
      .filter({ hasNotText: /locked until/ })
      .getByRole("button", { name: "Disable" })
      .waitFor();
    expect(await card.getByRole("button", { name: "Unlock" }).count()).toBe(0);

    await adminPage.goto("/console/audit");
    const row = adminPage
      .getByRole("row")
      .filter({ has: adminPage.getByRole("cell", { name: "user.unlocked", exact: true }) });
    await expect(row.count()).resolves.toBe(1);
    await expect(row.innerText()).resolves.toContain(admin.email);
    await expect(
      adminPage.getByRole("cell", { name: "user.locked", exact: true }).count(),
    ).resolves.toBe(1);

    const page = await open();
    await signIn(page, support.email, support.password);
    expect(path(page)).toBe("/console/security");
  });

  it("disabling a support member ends their open session at once", async () => {
    const res = await supportPage.goto("/console/customers");
    expect(res?.status()).toBe(200);
    expect(path(supportPage)).toBe("/console/customers");

    await adminPage.goto("/console/staff");
    const card = adminPage.getByTestId(`staff-${support.email}`);
    adminPage.once("dialog", (dialog) => void dialog.accept());
    await card.getByRole("button", { name: "Disable" }).click();
    await card.getByRole("button", { name: "Enable" }).waitFor();
    await expect(card.innerText()).resolves.toMatch(/disabled/);

    await supportPage.goto("/console/customers");
    expect(path(supportPage)).toBe("/login");
    await supportPage.goto("/console");
    expect(path(supportPage)).toBe("/login");
    const refused = await trySignIn(supportPage, support.email, support.password);
    expect(refused.result === "error" && refused.message).toMatch(/^Sign-in failed/);
  });

  it("plans: validation errors, create, edit and archive", async () => {
    const planName = unique("Plan");
    await adminPage.goto("/console/plans");
    await adminPage.getByRole("link", { name: "New plan" }).first().click();
    await waitForPath(adminPage, "/console/plans/new");

    // Server-side validation: skip the browser's own checks (min=1) as a script could.
    await adminPage
      .locator("form", { has: adminPage.getByRole("button", { name: "Create plan" }) })
      .evaluate((form: HTMLFormElement) => {
        form.noValidate = true;
      });
    await field(adminPage, "Name").fill(planName);
    await field(adminPage, "Seats (XMPP accounts)").fill("0");
    await field(adminPage, "Currency").fill("EURO");
    await adminPage.getByRole("button", { name: "Create plan" }).click();
    await adminPage.getByTestId("form-error").waitFor();
    await expect(adminPage.locator("#field-seats-error").innerText()).resolves.toContain(
      "at least 1 seat",
    );
    await expect(adminPage.locator("#field-currency-error").innerText()).resolves.toContain(
      "3-letter",
    );
    expect(path(adminPage)).toBe("/console/plans/new");

    // A rejected form keeps what was typed.
    await expect(field(adminPage, "Name").inputValue()).resolves.toBe(planName);
    await expect(field(adminPage, "Seats (XMPP accounts)").inputValue()).resolves.toBe("0");
    await field(adminPage, "Name").fill(planName);
    await field(adminPage, "Description").fill("End-to-end plan");
    await field(adminPage, "Seats (XMPP accounts)").fill("6");
    await field(adminPage, "Rooms").fill("3");
    await field(adminPage, "Message retention (days)").fill("14");
    await field(adminPage, "Price per month").fill("4.50");
    await field(adminPage, "Currency").fill("EUR");
    await adminPage.getByRole("button", { name: "Create plan" }).click();
    await waitForPath(adminPage, "/console/plans", { created: "1" });
    const row = adminPage.getByRole("row").filter({ hasText: planName });
    await expect(row.innerText()).resolves.toMatch(/6\s+3\s+14 days\s+4\.50 EUR\s+0/);

    await row.getByRole("link", { name: planName }).click();
    await waitForPath(adminPage, /^\/console\/plans\/(?!new$)[^/]+$/);
    await field(adminPage, "Rooms").fill("-1");
    await adminPage
      .locator("form", { has: adminPage.getByRole("button", { name: "Save plan" }) })
      .evaluate((form: HTMLFormElement) => {
        form.noValidate = true;
      });
    await adminPage.getByRole("button", { name: "Save plan" }).click();
    await expect(adminPage.locator("#field-rooms-error").innerText()).resolves.toContain(
      "cannot be negative",
    );
    await field(adminPage, "Rooms").fill("8");
    await adminPage.getByRole("button", { name: "Save plan" }).click();
    await expect(adminPage.getByTestId("form-success").innerText()).resolves.toContain(
      "Plan saved",
    );

    await adminPage.getByRole("button", { name: "Archive plan" }).click();
    await adminPage.getByRole("button", { name: "Restore plan" }).waitFor();
    await adminPage.goto("/console/plans");
    await expect(
      adminPage.getByRole("row").filter({ hasText: planName }).innerText(),
    ).resolves.toMatch(/archived[\s\S]*6\s+8\s+14 days/);
  });

  it("customers: validation error, create with a plan, edit, find", async () => {
    const planName = unique("Family plan");
    await adminPage.goto("/console/plans/new");
    await field(adminPage, "Name").fill(planName);
    await adminPage.getByRole("button", { name: "Create plan" }).click();
    await waitForPath(adminPage, "/console/plans", { created: "1" });

    const customerName = unique("Customer");
    const contact = `${unique("contact")}@example.org`.toLowerCase();
    await adminPage.goto("/console/customers");
    await adminPage.getByRole("link", { name: "Add customer" }).first().click();
    await waitForPath(adminPage, "/console/customers/new");
    await field(adminPage, "Name").fill("X");
    await field(adminPage, "Contact email").fill(contact);
    await adminPage.getByRole("button", { name: "Add customer" }).click();
    await expect(adminPage.locator("#field-name-error").innerText()).resolves.toContain(
      "at least 2 characters",
    );
    await adminPage.getByTestId("form-error").waitFor();
    expect(path(adminPage)).toBe("/console/customers/new");

    await field(adminPage, "Name").fill(customerName);
    await field(adminPage, "Contact email").fill(contact); // wiped by the rejected submit (see above)
    await field(adminPage, "Kind").selectOption("FAMILY");
    await field(adminPage, "Plan").selectOption({ label: `${planName} (5 seats, 5 rooms)` });
    await field(adminPage, "Notes for staff").fill("Created by the e2e suite");
    await adminPage.getByRole("button", { name: "Add customer" }).click();
    await waitForPath(adminPage, /^\/console\/customers\/(?!new$)[^/]+$/, { created: "1" });
    await expect(adminPage.getByRole("heading", { level: 1 }).innerText()).resolves.toBe(
      customerName,
    );
    await expect(adminPage.getByText(`family · ${contact}`).count()).resolves.toBe(1);
    await expect(adminPage.getByText(planName, { exact: true }).count()).resolves.toBe(1);

    const renamed = `${customerName} renamed`;
    await field(adminPage, "Name").first().fill(renamed);
    await adminPage.getByRole("button", { name: "Save changes" }).click();
    await expect(adminPage.getByTestId("form-success").innerText()).resolves.toContain(
      "Customer saved",
    );

    await adminPage.goto(`/console/customers?q=${encodeURIComponent(renamed)}`);
    const row = adminPage.getByRole("row").filter({ hasText: renamed });
    await expect(row.count()).resolves.toBe(1);
    await expect(row.innerText()).resolves.toContain(planName);
    await adminPage.goto(`/console/customers?q=${encodeURIComponent(unique("no-such-customer"))}`);
    await expect(adminPage.getByTestId("empty-state").innerText()).resolves.toContain(
      "No customers match",
    );

    await adminPage.goto("/console/audit?action=customer.");
    await expect(
      adminPage.getByRole("cell", { name: "customer.created", exact: true }).count(),
    ).resolves.toBe(1);
  });

  it("loaded everything from Parley itself, under a policy that forbids anything else", () => {
    expect([...requested].filter((origin) => !origin.startsWith("data:"))).toEqual([
      new URL(server.url).origin,
    ]);
    expect(cspHeaders.size).toBe(1);
    const csp = [...cspHeaders][0];
    expect(csp).toContain("default-src 'self'");
    expect(csp).toMatch(/script-src 'self'/);
    expect(csp).not.toMatch(/https?:\/\//);
  });
});
