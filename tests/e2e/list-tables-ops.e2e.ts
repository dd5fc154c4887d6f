import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { openConsoleAsAdmin, type SignedInConsole } from "../helpers/e2e-console";
import { field } from "../helpers/e2e-browser";
import { seedDatabase } from "@/bench/seed/seed-data";

// The audit and job lists in Chromium: a filtered audit view's URL, opened in another page,
// shows the same rows with the same filters filled in; job pages go forward and back by
// keyboard alone (Tab to the paging link, Enter) to the same rows; a row's Retry and Cancel act
// on that row's job.
describe("operations list tables in Chromium", () => {
  let app: SignedInConsole;
  let admin: Page;
  let prisma: typeof import("@/core/db").prisma;

  beforeAll(async () => {
    app = await openConsoleAsAdmin("Otto Ops");
    ({ admin, prisma } = app);
    await seedDatabase(prisma, { customers: 40, seed: 13 });
    await prisma.auditEvent.createMany({
      data: ["first", "second", "third"].map((n, i) => ({
        actorLabel: "ops-staff@parley.test",
        action: "customer.updated",
        targetType: "customer",
        reason: `Tableops ${n} call`,
        at: new Date(Date.UTC(2026, 0, 10 + i)),
      })),
    });
    // Same action, outside the date range the view asks for.
    await prisma.auditEvent.create({
      data: {
        actorLabel: "ops-staff@parley.test",
        action: "customer.updated",
        targetType: "customer",
        reason: "Tableops late call",
        at: new Date(Date.UTC(2026, 2, 1)),
      },
    });
  }, 300_000);

  afterAll(async () => {
    await app?.close();
  });

  const rowsOf = (page: Page, caption: string) =>
    page.getByRole("table", { name: caption }).locator("tbody tr").allInnerTexts();

  it("a filtered audit view's URL opens the same view in another page", async () => {
    await admin.goto("/console/audit");
    await field(admin, "Search events").fill("TABLEOPS");
    await field(admin, "Action starts with").fill("customer.");
    await field(admin, "Actor").fill("ops-staff@parley.test");
    await field(admin, "Date from").fill("2026-01-01");
    await field(admin, "Date to").fill("2026-01-31");
    await admin.getByRole("button", { name: "Apply" }).click();
    await admin.waitForURL(/action=customer\./);
    const shown = await rowsOf(admin, "Audit events");
    // Newest first: the three January calls, not the one in March.
    expect(shown.map((r) => r.match(/Tableops \w+ call/)?.[0])).toEqual([
      "Tableops third call",
      "Tableops second call",
      "Tableops first call",
    ]);
    await expect(admin.getByTestId("list-count").innerText()).resolves.toBe("3 events");

    const other = await admin.context().newPage();
    await other.goto(admin.url());
    await expect(rowsOf(other, "Audit events")).resolves.toEqual(shown);
    await expect(field(other, "Action starts with").inputValue()).resolves.toBe("customer.");
    await expect(field(other, "Search events").inputValue()).resolves.toBe("TABLEOPS");
    await expect(field(other, "Date to").inputValue()).resolves.toBe("2026-01-31");
    await other.close();
  });

  // Tab from the top of the page until the link named `name` has focus.
  async function tabTo(page: Page, name: string) {
    await page.locator("body").focus();
    for (let i = 0; i < 120; i++) {
      await page.keyboard.press("Tab");
      const text = await page.evaluate(() => document.activeElement?.textContent?.trim() ?? "");
      if (text === name) return;
    }
    throw new Error(`Tab never reached ${name}`);
  }

  it("pages jobs forward and back by keyboard to the same rows", async () => {
    // Finished jobs only: the page reloads itself while any listed job is still running.
    await admin.goto("/console/jobs?status=SUCCEEDED");
    const first = await rowsOf(admin, "Jobs");
    expect(first).toHaveLength(25);
    await tabTo(admin, "Next →");
    await admin.keyboard.press("Enter");
    await admin.waitForURL(/after=/);
    const second = await rowsOf(admin, "Jobs");
    expect(second.length).toBeGreaterThan(0);
    expect(second.some((r) => first.includes(r))).toBe(false);
    expect(new URL(admin.url()).searchParams.get("status")).toBe("SUCCEEDED");
    await tabTo(admin, "← Previous");
    await admin.keyboard.press("Enter");
    await admin.waitForURL(/before=/);
    await expect(rowsOf(admin, "Jobs")).resolves.toEqual(first);
  });

  // A row's button submits the page's shared form with that row's job, and only that one.
  it("retries a failed job and cancels a waiting one from their rows", async () => {
    const failed = await prisma.job.create({
      data: { type: "account.create", payload: {}, status: "FAILED", attempts: 8, lastError: "x" },
    });
    const waiting = await prisma.job.create({
      data: { type: "account.create", payload: {}, runAt: new Date(Date.now() + 86_400_000) },
    });
    await admin.goto("/console/jobs?status=FAILED");
    await admin.getByRole("button", { name: `Retry job ${failed.id.slice(-8)}` }).click();
    await admin.getByText("Queued again.").waitFor();
    // Five more attempts than it had used.
    await expect(
      prisma.job.findUniqueOrThrow({ where: { id: failed.id } }).then((j) => j.maxAttempts),
    ).resolves.toBe(13);
    await expect(
      prisma.auditEvent.count({ where: { action: "job.retried", targetId: failed.id } }),
    ).resolves.toBe(1);

    await admin.goto("/console/jobs?status=PENDING");
    admin.once("dialog", (d) => void d.accept());
    await admin.getByRole("button", { name: `Cancel job ${waiting.id.slice(-8)}` }).click();
    await admin.getByText("Cancelled.").waitFor();
    await expect(
      prisma.job.findUniqueOrThrow({ where: { id: waiting.id } }).then((j) => j.status),
    ).resolves.toBe("CANCELLED");
    await expect(
      prisma.job.count({ where: { status: "CANCELLED", createdAt: { gte: waiting.createdAt } } }),
    ).resolves.toBe(1);
  });
});
