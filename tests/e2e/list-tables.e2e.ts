import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page, Request } from "playwright-core";
import { openConsoleAsAdmin, type SignedInConsole } from "../helpers/e2e-console";
import { field } from "../helpers/e2e-browser";
import { seedDatabase } from "@/bench/seed/seed-data";

// The customer and account lists in Chromium: filter + search + sort by the form and the
// header links, the URL carries the whole view (a copied link opens the same rows), sorting
// works by keyboard, keyset pages go forward and back to the same rows, and a list prefetches
// none of its links (each prefetch costs the server a render).
describe("list tables in Chromium", () => {
  let app: SignedInConsole;
  let admin: Page;
  let prisma: typeof import("@/core/db").prisma;

  beforeAll(async () => {
    app = await openConsoleAsAdmin("Tess Tables");
    ({ admin, prisma } = app);
    await seedDatabase(prisma, { customers: 60, seed: 11 });
    for (const [name, status] of [
      ["Tablefilter Alpha", "ACTIVE"],
      ["Tablefilter Beta", "ACTIVE"],
      ["Tablefilter Gamma", "ACTIVE"],
      ["Tablefilter Delta", "SUSPENDED"],
    ] as const)
      await prisma.customer.create({
        data: { name, status, contactEmail: `${name.split(" ")[1].toLowerCase()}@tf.test` },
      });
  }, 300_000);

  afterAll(async () => {
    await app?.close();
  });

  const names = (page: Page) =>
    page
      .getByRole("table", { name: "Customers" })
      .locator('tbody tr td a[href^="/console/customers/"]')
      .allInnerTexts();
  const sortOf = (page: Page, column: string) =>
    page.getByRole("columnheader", { name: column }).getAttribute("aria-sort");

  it("filters, searches and sorts; the copied URL opens the same view in a new page", async () => {
    await admin.goto("/console/customers");
    await field(admin, "Search customers").fill("ABLEFILTER");
    await field(admin, "Match").selectOption("contains");
    await field(admin, "Status").selectOption("ACTIVE");
    await admin.getByRole("button", { name: "Apply" }).click();
    await admin.waitForURL(/status=ACTIVE/);
    // Newest first by default; created in the same millisecond or not, these three.
    expect((await names(admin)).sort()).toEqual([
      "Tablefilter Alpha",
      "Tablefilter Beta",
      "Tablefilter Gamma",
    ]);
    await expect(admin.getByTestId("list-count").innerText()).resolves.toBe("3 customers");

    // Name ascending, then descending, by the header link.
    await admin.getByRole("link", { name: /^Name/ }).click();
    await admin.waitForURL(/sort=name/);
    await expect(sortOf(admin, "Name")).resolves.toBe("ascending");
    await expect(names(admin)).resolves.toEqual([
      "Tablefilter Alpha",
      "Tablefilter Beta",
      "Tablefilter Gamma",
    ]);
    await admin.getByRole("link", { name: /^Name/ }).click();
    await admin.waitForURL(/dir=desc/);
    await expect(sortOf(admin, "Name")).resolves.toBe("descending");
    const shown = await names(admin);
    expect(shown).toEqual(["Tablefilter Gamma", "Tablefilter Beta", "Tablefilter Alpha"]);

    const copied = admin.url();
    const other = await admin.context().newPage();
    await other.goto(copied);
    await expect(names(other)).resolves.toEqual(shown);
    await expect(sortOf(other, "Name")).resolves.toBe("descending");
    await expect(field(other, "Status").inputValue()).resolves.toBe("ACTIVE");
    await expect(field(other, "Search customers").inputValue()).resolves.toBe("ABLEFILTER");
    await other.close();

    await field(admin, "Search customers").fill("no-such-tablefilter");
    await admin.getByRole("button", { name: "Apply" }).click();
    await admin.waitForURL(/no-such-tablefilter/);
    await expect(admin.getByTestId("empty-state").innerText()).resolves.toContain(
      "No customers match",
    );
  });

  it("sorts by keyboard: Tab to a sort header, Enter", async () => {
    await admin.goto("/console/customers?q=tablefilter");
    await field(admin, "Search customers").focus();
    let reached = false;
    for (let i = 0; i < 40 && !reached; i++) {
      await admin.keyboard.press("Tab");
      reached = await admin.evaluate(
        () => document.activeElement?.closest("th")?.textContent?.startsWith("Status") ?? false,
      );
    }
    expect(reached).toBe(true);
    await admin.keyboard.press("Enter");
    await admin.waitForURL(/sort=status/);
    await expect(sortOf(admin, "Status")).resolves.toBe("ascending");
    await expect(sortOf(admin, "Name")).resolves.toBe("none");
  });

  it("pages accounts forward and back to the same rows", async () => {
    await admin.goto("/console/accounts?sort=address");
    const table = admin.getByRole("table", { name: "XMPP accounts" });
    const addresses = () =>
      table.locator('tbody tr td a[href^="/console/accounts/"]').allInnerTexts();
    const first = await addresses();
    expect(first).toHaveLength(25);
    // Sorted by the address's user part (the id breaks ties).
    const users = first.map((a) => a.split("@")[0]);
    expect([...users].sort()).toEqual(users);
    await admin.getByRole("link", { name: "Next →" }).click();
    await admin.waitForURL(/after=/);
    const second = await addresses();
    expect(second.length).toBeGreaterThan(0);
    expect(second.some((a) => first.includes(a))).toBe(false);
    await admin.getByRole("link", { name: "← Previous" }).click();
    await admin.waitForURL(/before=/);
    await expect(addresses()).resolves.toEqual(first);
  });

  it("prefetches none of a list's links; a row's link still opens without a page load", async () => {
    const prefetches: string[] = [];
    const onRequest = (r: Request) => {
      if (r.headers()["next-router-prefetch"]) prefetches.push(r.url());
    };
    admin.on("request", onRequest);
    try {
      await admin.goto("/console/accounts");
      // The router prefetches links as they come into view: give it the time to.
      await admin.waitForLoadState("networkidle");
      await admin.waitForTimeout(1_000);
      expect(prefetches).toEqual([]);
      // A value set on window survives a client-side navigation, not a page load.
      await admin.evaluate(() => Object.assign(window, { parleyStayed: true }));
      const row = admin
        .getByRole("table", { name: "XMPP accounts" })
        .locator('tbody tr td a[href^="/console/accounts/"]')
        .first();
      const href = await row.getAttribute("href");
      await row.click();
      await admin.waitForURL((url) => url.pathname === href);
      await expect(
        admin.evaluate(() => (window as { parleyStayed?: boolean }).parleyStayed),
      ).resolves.toBe(true);
      expect(prefetches).toEqual([]);
    } finally {
      admin.off("request", onRequest);
    }
  });
});
