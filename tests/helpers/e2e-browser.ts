import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Locator,
  type Page,
} from "playwright-core";

// Debian's Chromium: `npx playwright install` cannot work here (it downloads browsers from
// Playwright's CDN, not npm).
export const CHROMIUM = "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

// launch() gives the browser a fresh temporary profile (user-data dir) of its own and removes
// it on close(); each newContext() is a separate cookie jar, i.e. a separate person.
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 60_000,
  });
}

// Every browser in the e2e run claims to come from these addresses through a proxy; the last
// e2e file proves none of them was stored or logged anywhere by any server of the run.
export const SUITE_FORWARDED_FOR = "192.0.2.201";
export const SUITE_REAL_IP = "192.0.2.202";

export async function newPage(
  browser: Browser,
  baseURL: string,
  options: BrowserContextOptions = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    baseURL,
    ...options,
    extraHTTPHeaders: {
      "X-Forwarded-For": SUITE_FORWARDED_FOR,
      "X-Real-IP": SUITE_REAL_IP,
      Forwarded: `for=${SUITE_FORWARDED_FOR}`,
      ...options.extraHTTPHeaders,
    },
  });
  context.setDefaultTimeout(20_000);
  context.setDefaultNavigationTimeout(30_000);
  const page = await context.newPage();
  return { context, page };
}

export type Code = string | (() => string | Promise<string>);
export type LoginOutcome =
  { result: "signed-in" } | { result: "code" } | { result: "error"; message: string };

function onLoginPage(page: Page): boolean {
  return new URL(page.url()).pathname === "/login";
}

// Waits for whatever the sign-in form does next: leave /login, ask for a code, or show an error.
async function loginOutcome(page: Page, expectCodeField: boolean): Promise<LoginOutcome> {
  const error = page.getByTestId("login-error");
  const code = page.locator("#code");
  await page.waitForFunction(
    ({ wantCode }) =>
      location.pathname !== "/login" ||
      !!document.querySelector("[data-testid=login-error]") ||
      (!wantCode && !!document.querySelector("#code")),
    { wantCode: expectCodeField },
    { timeout: 20_000 },
  );
  if (!onLoginPage(page)) return { result: "signed-in" };
  if (await error.count()) return { result: "error", message: (await error.innerText()).trim() };
  if (!expectCodeField && (await code.count())) return { result: "code" };
  return { result: "signed-in" };
}

// Fills /login and submits; with a code, answers the second step too. Returns what happened
// (it does not assert), and leaves the page where the app put it.
export async function trySignIn(
  page: Page,
  email: string,
  password: string,
  code?: Code,
): Promise<LoginOutcome> {
  await page.goto("/login");
  await page.locator("#email").fill(email);
  await page.locator("#password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  const first = await loginOutcome(page, false);
  if (first.result !== "code" || code === undefined) return first;
  await page.locator("#code").fill(typeof code === "function" ? await code() : code);
  await page.getByRole("button", { name: "Verify" }).click();
  return loginOutcome(page, true);
}

export async function signIn(
  page: Page,
  email: string,
  password: string,
  code?: Code,
): Promise<void> {
  const outcome = await trySignIn(page, email, password, code);
  if (outcome.result !== "signed-in") {
    throw new Error(
      `sign-in as ${email} did not succeed: ${outcome.result}${outcome.result === "error" ? ` (${outcome.message})` : ""}`,
    );
  }
  // The client navigates to "/" (or callbackUrl) and the server redirects from there.
  await page.waitForURL((url) => url.pathname !== "/" && url.pathname !== "/login");
}

// Waits for a (possibly client-side) navigation to `pathname` (a string or a pattern), and
// says where the page is and what the form said if it never gets there.
export async function waitForPath(
  page: Page,
  pathname: string | RegExp,
  search?: Record<string, string>,
): Promise<void> {
  const matches = (url: URL) =>
    (typeof pathname === "string" ? url.pathname === pathname : pathname.test(url.pathname)) &&
    Object.entries(search ?? {}).every(([k, v]) => url.searchParams.get(k) === v);
  try {
    await page.waitForURL(matches, { waitUntil: "commit" });
  } catch (error) {
    const formError = await page
      .getByTestId("form-error")
      .allInnerTexts()
      .catch(() => []);
    const fieldErrors = await page
      .locator("[id$=-error]")
      .allInnerTexts()
      .catch(() => []);
    throw new Error(
      `expected ${pathname}${search ? `?${new URLSearchParams(search)}` : ""}, still on ${page.url()}; form errors: ${JSON.stringify([...formError, ...fieldErrors])}\n${(error as Error).message}`,
    );
  }
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL((url) => url.pathname === "/login");
}

// A form field by its exact label. Labels of required fields end in an aria-hidden " *",
// which Playwright's exact label match would otherwise trip over.
export function field(scope: Page | Locator, label: string): Locator {
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return scope.getByLabel(new RegExp(`^${escaped}(\\s*\\*)?$`));
}

export type AdminDetails = { name: string; email: string; password: string };

// Opens the printed setup link and creates the first admin; waits for the success message.
// The form requires staff two-factor by default; flows that sign staff in without it untick it.
export async function createFirstAdmin(
  page: Page,
  setupUrl: string,
  admin: AdminDetails,
  options: { requireStaffTwoFactor?: boolean } = {},
): Promise<void> {
  await page.goto(setupUrl);
  await field(page, "Your name").fill(admin.name);
  await field(page, "Email").fill(admin.email);
  await field(page, "Password").fill(admin.password);
  await field(page, "Repeat password").fill(admin.password);
  await page
    .getByRole("checkbox", { name: /Require two-factor sign-in for all staff/ })
    .setChecked(options.requireStaffTwoFactor ?? false);
  await page.getByRole("button", { name: "Create admin" }).click();
  await page.getByTestId("form-success").waitFor();
}

// Unique per call, so reruns against a kept database never collide.
let counter = 0;
export function unique(prefix: string): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}-${Math.random().toString(36).slice(2, 6)}`;
}

export const TEST_PASSWORD = "correct horse battery staple 42";
