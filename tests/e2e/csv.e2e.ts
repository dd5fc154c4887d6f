import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFile } from "node:fs/promises";
import type { Page } from "playwright-core";
import { parse } from "csv-parse/sync";
import { openConsoleAsAdmin, type SignedInConsole } from "../helpers/e2e-console";
import { field, unique } from "../helpers/e2e-browser";

// CSV in Chromium: an upload with one bad row shows that row's problem and imports the rest,
// which then appear in the list; the export of a filtered list downloads exactly its rows.
describe("CSV import and export in Chromium", () => {
  let app: SignedInConsole;
  let admin: Page;
  let prisma: typeof import("@/core/db").prisma;
  const tag = unique("csv")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "");

  beforeAll(async () => {
    app = await openConsoleAsAdmin("Cora Csv");
    ({ admin, prisma } = app);
    await prisma.plan.create({
      data: { name: `Csvplan ${tag}`, seats: 3, rooms: 1, retentionDays: 30 },
    });
  }, 300_000);

  afterAll(async () => {
    await app?.close();
  });

  it("shows the bad row's problem and imports the rest", async () => {
    await admin.goto("/console/customers");
    await admin.getByRole("link", { name: "Import CSV" }).click();
    await admin.waitForURL(/\/console\/import\?kind=customers/);
    const file = [
      "name,contactEmail,kind,plan",
      `Csvimport Ann ${tag},ann-${tag}@csv.test,person,Csvplan ${tag}`,
      `Csvimport Bob ${tag},not-an-email,family,`,
      `"Csvimport Cy, ${tag}",cy-${tag}@csv.test,company,`,
    ].join("\r\n");
    await field(admin, "CSV file").setInputFiles({
      name: "customers.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(file),
    });
    await admin.getByRole("button", { name: "Check the file" }).click();
    await admin.waitForURL(/\/console\/import\/[a-z0-9]+$/);
    const problems = admin.getByTestId("import-error");
    await expect(problems.count()).resolves.toBe(1);
    const problem = await problems.first().innerText();
    expect(problem).toMatch(/^3\s+contactEmail\s+Enter a valid email address/);
    const report = new URL(admin.url()).pathname;
    await admin.getByRole("button", { name: "Import the 2 valid rows" }).click();
    // The import runs as a bulk operation: its progress page, to the end.
    await admin.waitForURL(/\/console\/bulk\/[a-z0-9]+$/);
    await admin
      .locator('[data-testid="bulk-progress"][data-settled="true"]')
      .waitFor({ timeout: 60_000 });
    await expect(admin.getByTestId("bulk-status").innerText()).resolves.toContain(
      "Finished: 2 done, 0 skipped, 0 failed",
    );
    await admin.goto(report);
    await admin.getByTestId("import-result").waitFor();
    await expect(admin.getByTestId("import-result").innerText()).resolves.toMatch(
      /^2 customers created, 0 already present, 0 failed/,
    );
    await admin.goto(`/console/customers?q=${tag}&sort=name`);
    const names = await admin
      .getByRole("table", { name: "Customers" })
      .locator('tbody tr td a[href^="/console/customers/"]')
      .allInnerTexts();
    expect(names).toEqual([`Csvimport Ann ${tag}`, `Csvimport Cy, ${tag}`]);
  });

  // Clicks the page's "Export CSV" and reads the file it downloads.
  async function downloadCsv(page: Page) {
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Export CSV" }).click(),
    ]);
    const rows = parse(await readFile((await download.path())!), {
      bom: true,
      columns: true,
    }) as Record<string, string>[];
    return { file: download.suggestedFilename(), rows };
  }

  it("downloads the filtered list as CSV", async () => {
    await admin.goto(`/console/customers?q=${tag}&sort=name&dir=desc`);
    const { file, rows } = await downloadCsv(admin);
    expect(file).toMatch(/^parley-customers-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(rows.map((r) => [r.name, r.contactEmail, r.plan])).toEqual([
      [`Csvimport Cy, ${tag}`, `cy-${tag}@csv.test`, ""],
      [`Csvimport Ann ${tag}`, `ann-${tag}@csv.test`, `Csvplan ${tag}`],
    ]);
  });

  it("downloads another list the same way: the audit log, newest first", async () => {
    await admin.goto("/console/audit?action=table.exported");
    const { file, rows } = await downloadCsv(admin);
    expect(file).toMatch(/^parley-audit-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(rows[0]).toMatchObject({ action: "table.exported", targetId: "customers" });
  });
});
