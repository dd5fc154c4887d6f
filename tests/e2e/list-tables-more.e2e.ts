import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import type { ParleyServer } from "../helpers/e2e-server";
import { openConsoleAsAdmin, type SignedInConsole } from "../helpers/e2e-console";
import { field, newPage } from "../helpers/e2e-browser";
import { seedDatabase } from "@/bench/seed/seed-data";

// The room list in Chromium: a filtered, sorted URL opened in another page shows the same
// view (a shared link), and the keyboard alone reaches "Next" and pages on.
describe("room list in Chromium", () => {
  let app: SignedInConsole;
  let server: ParleyServer;
  let browser: Browser;
  let admin: Page;
  let prisma: typeof import("@/core/db").prisma;

  beforeAll(async () => {
    app = await openConsoleAsAdmin("Rhea Rooms");
    ({ server, browser, admin, prisma } = app);
    await seedDatabase(prisma, { customers: 40, seed: 12 });
    const room = await prisma.room.findFirstOrThrow();
    // 30 active and 5 failed rooms whose names share a prefix: more than a page of active.
    for (let i = 0; i < 35; i++)
      await prisma.room.create({
        data: {
          customerId: room.customerId,
          serverId: room.serverId,
          domain: room.domain,
          name: `sharedlink-${String(i).padStart(2, "0")}`,
          status: i < 30 ? "ACTIVE" : "FAILED",
        },
      });
  }, 300_000);

  afterAll(async () => {
    await app?.close();
  });

  const rooms = (page: Page) =>
    page.getByRole("table", { name: "Rooms" }).locator("tbody tr td:first-child a").allInnerTexts();
  const names = async (page: Page) => (await rooms(page)).map((a) => a.split("@")[0]);
  const expected = (from: number, to: number) =>
    Array.from({ length: to - from }, (_, i) => `sharedlink-${String(from + i).padStart(2, "0")}`);

  it("opens a shared filtered link as the same view, then pages on by keyboard", async () => {
    const shared = "/console/rooms?q=SHAREDLINK&match=prefix&status=ACTIVE&sort=address&dir=desc";
    const { page, context } = await newPage(browser, server.url);
    await context.addCookies(await admin.context().cookies());
    await page.goto(shared);
    await expect(names(page)).resolves.toEqual(expected(5, 30).reverse());
    await expect(page.getByTestId("list-count").innerText()).resolves.toBe("30 rooms");
    await expect(field(page, "Search rooms").inputValue()).resolves.toBe("SHAREDLINK");
    await expect(field(page, "Match").inputValue()).resolves.toBe("prefix");
    await expect(field(page, "Status").inputValue()).resolves.toBe("ACTIVE");
    await expect(
      page.getByRole("columnheader", { name: /^Room/ }).getAttribute("aria-sort"),
    ).resolves.toBe("descending");

    // Tab from the search box to "Next →", Enter: the next page, still filtered.
    await field(page, "Search rooms").focus();
    let reached = false;
    for (let i = 0; i < 80 && !reached; i++) {
      await page.keyboard.press("Tab");
      reached = await page.evaluate(() => document.activeElement?.textContent === "Next →");
    }
    expect(reached).toBe(true);
    await page.keyboard.press("Enter");
    await page.waitForURL(/after=/);
    await expect(names(page)).resolves.toEqual(expected(0, 5).reverse());
    expect(new URL(page.url()).searchParams.get("status")).toBe("ACTIVE");
    await context.close();
  });
});
