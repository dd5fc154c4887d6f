import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { openConsoleAsAdmin, type SignedInConsole } from "../helpers/e2e-console";
import { waitForPath } from "../helpers/e2e-browser";
import { addEjabberdInConsole } from "../helpers/e2e-add-server";
import { startEjabberd, type EjabberdInstance } from "../harness/ejabberd";
import { tryLogin } from "../helpers/xmpp-client";
import { EjabberdAdapter } from "@/provisioning/servers/ejabberd/adapter";

// Bulk work in Chromium against a real ejabberd: filter the accounts, choose every match,
// suspend them with the progress bar running to the end, and the server really refuses their
// logins while the accounts outside the filter still sign in. Then ticked rows are restored.
const MATCHING = 24;
const PASSWORD = "a long and private password";

describe("bulk actions in Chromium", () => {
  let app: SignedInConsole;
  let ej: EjabberdInstance;
  let admin: Page;
  let adapter: EjabberdAdapter;
  let prisma: typeof import("@/core/db").prisma;
  const login = (username: string) =>
    tryLogin({
      host: "127.0.0.1",
      port: ej.c2sPort,
      domain: ej.vhost,
      username,
      password: PASSWORD,
    });

  beforeAll(async () => {
    [app, ej] = await Promise.all([openConsoleAsAdmin("Bea Bulk"), startEjabberd()]);
    ({ admin, prisma } = app);
    const token = await ej.mintToken();
    adapter = new EjabberdAdapter({
      apiUrl: ej.apiUrl,
      token,
      domain: ej.vhost,
      mucDomain: ej.mucDomain,
    });
    const serverPath = await addEjabberdInConsole(admin, ej, token, "Bulk chat");
    const serverId = serverPath.split("/").pop()!;
    const plan = await prisma.plan.create({
      data: { name: "Team", seats: 100, rooms: 2, retentionDays: 30 },
    });
    const customer = await prisma.customer.create({
      data: { name: "Bulk Corp", contactEmail: "it@bulk.test", planId: plan.id },
    });
    // Accounts that exist on the server already, as after an import or reconciliation.
    const names = [
      ...Array.from({ length: MATCHING }, (_, i) => `crew${String(i).padStart(2, "0")}`),
      "keeper1",
      "keeper2",
    ];
    for (const name of names) await adapter.createAccount(name, PASSWORD);
    await prisma.xmppAccount.createMany({
      data: names.map((localpart) => ({
        customerId: customer.id,
        serverId,
        localpart,
        domain: ej.vhost,
        status: "ACTIVE" as const,
      })),
    });
  }, 300_000);

  afterAll(async () => {
    await adapter?.close();
    await Promise.all([app?.close(), ej?.stop()]);
  });

  async function waitUntilSettled(page: Page) {
    await page
      .locator('[data-testid="bulk-progress"][data-settled="true"]')
      .waitFor({ timeout: 120_000 });
    return page.getByTestId("bulk-status").innerText();
  }

  it("suspends every account matching a filter, with progress, and the server refuses them", async () => {
    expect(await login("crew00")).toEqual({ ok: true });
    await admin.goto("/console/accounts?q=crew&match=prefix");
    await expect(admin.getByTestId("list-count").innerText()).resolves.toBe(`${MATCHING} accounts`);
    await admin.getByRole("radio", { name: `All ${MATCHING} matching this view` }).check();
    await admin.getByLabel("Action", { exact: true }).selectOption({ label: "Suspend" });
    await admin.getByLabel("Reason", { exact: true }).selectOption("staff");
    await admin.getByLabel("Note for the audit trail").fill("Lost laptops");
    await admin.getByRole("button", { name: `Suspend: all ${MATCHING}` }).click();
    await waitForPath(admin, /^\/console\/bulk\/[^/]+$/);
    // The bar is a real progressbar while it runs, and ends full.
    const bar = admin.getByRole("progressbar", { name: "Done on the servers" });
    await bar.waitFor();
    const status = await waitUntilSettled(admin);
    expect(status).toContain(`Finished: ${MATCHING} done, 0 skipped, 0 failed`);
    await expect(bar.getAttribute("aria-valuenow")).resolves.toBe(String(MATCHING));

    for (const name of ["crew00", "crew11", "crew23"]) {
      const result = await login(name);
      expect(result.ok, `${name} is refused`).toBe(false);
    }
    expect(await login("keeper1")).toEqual({ ok: true });
    expect(await adapter.isSuspended("keeper2")).toBe(false);
  }, 240_000);

  it("restores ticked rows only, and the list of operations shows both", async () => {
    await admin.goto("/console/accounts?q=crew0&match=prefix&sort=address");
    await admin.getByRole("checkbox", { name: `Tick crew00@${ej.vhost}` }).check();
    await admin.getByRole("checkbox", { name: `Tick crew01@${ej.vhost}` }).check();
    await admin.getByLabel("Action", { exact: true }).selectOption({ label: "Unsuspend" });
    await admin.getByLabel("Reason", { exact: true }).selectOption("staff");
    await admin.getByRole("button", { name: "Unsuspend: 2 ticked" }).click();
    await waitForPath(admin, /^\/console\/bulk\/[^/]+$/);
    expect(await waitUntilSettled(admin)).toContain("Finished: 2 done");
    expect(await login("crew00")).toEqual({ ok: true });
    expect(await login("crew01")).toEqual({ ok: true });
    expect((await login("crew02")).ok).toBe(false);

    await admin.goto("/console/bulk");
    const rows = admin.getByRole("table", { name: "Bulk operations" }).locator("tbody tr");
    await expect(rows.count()).resolves.toBe(2);
  }, 240_000);

  it("asks for the typed word before deleting, and keeps the accounts when it is wrong", async () => {
    await admin.goto("/console/accounts?q=keeper&match=prefix");
    await admin.getByRole("radio", { name: "All 2 matching this view" }).check();
    await admin.getByLabel("Action", { exact: true }).selectOption({ label: "Delete" });
    await admin.getByLabel("Type “delete” to confirm").fill("yes");
    await admin.getByRole("button", { name: "Delete: all 2" }).click();
    await expect(admin.getByTestId("form-error").innerText()).resolves.toContain(
      "Type “delete” to confirm",
    );
    expect(new URL(admin.url()).pathname).toBe("/console/accounts");
    expect(await login("keeper1")).toEqual({ ok: true });
  }, 120_000);
});
