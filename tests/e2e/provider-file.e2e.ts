import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFile } from "node:fs/promises";
import type { Page } from "playwright-core";
import { openConsoleAsAdmin, type SignedInConsole } from "../helpers/e2e-console";
import { field, unique } from "../helpers/e2e-browser";
import { HttpClient } from "../helpers/e2e-http";
import { validateProviderFile } from "@/lib/provider-file/schema";

// The provider file end to end: an admin states facts in the console; anyone fetches the file at
// its well-known address (by Host or ?domain=, no sign-in), valid against the schema; a changed
// policy shows at once; the console's download is the same document.
describe("the provider file in Chromium and over HTTP", () => {
  let app: SignedInConsole;
  let admin: Page;
  let prisma: typeof import("@/core/db").prisma;
  let anonymous: HttpClient;
  const domain = `${unique("prov")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "")}.test`;
  let serverId = "";
  let policyId = "";

  beforeAll(async () => {
    app = await openConsoleAsAdmin("Pia Provider");
    ({ admin, prisma } = app);
    anonymous = new HttpClient(app.server.url);
    // Rows only: nothing here contacts the server.
    const policy = await prisma.privacyPolicy.create({
      data: {
        name: `Prov ${domain}`,
        mamRetentionDays: 30,
        mucRetentionDays: 7,
        uploadExpiryDays: 3,
      },
    });
    policyId = policy.id;
    const server = await prisma.server.create({
      data: { name: `Prov ${domain}`, kind: "PROSODY", domain, policyId: policy.id },
    });
    serverId = server.id;
  }, 300_000);

  afterAll(async () => {
    await app?.close();
  });

  const publicFile = async (query: string, host?: string) => {
    const res = await anonymous.request(`/.well-known/xmpp-provider-v2.json${query}`, {
      headers: host ? { host } : {},
    });
    return { status: res.status, body: res.status === 200 ? JSON.parse(res.body) : res.body };
  };

  it("publishes what the admin states, valid against the schema, without a sign-in", async () => {
    await admin.goto("/console/provider-file");
    await field(admin, "Website").fill("en https://example.org/");
    await field(admin, "Server locations").fill("de fr");
    await field(admin, "Bus factor").fill("2");
    await admin.getByLabel(/Professional hosting/).check();
    await admin.getByRole("button", { name: "Save" }).click();
    await admin.getByTestId("form-success").waitFor();

    for (const { status, body } of [
      await publicFile(`?domain=${domain}`),
      await publicFile("", domain),
    ]) {
      expect(status).toBe(200);
      expect(validateProviderFile(body)).toEqual({ valid: true });
      expect(body).toMatchObject({
        website: { en: "https://example.org/" },
        serverLocations: ["de", "fr"],
        busFactor: 2,
        professionalHosting: true,
        maximumMessageArchiveManagementStorageTime: 30,
        maximumHttpFileUploadStorageTime: 3,
      });
    }
    expect((await publicFile("?domain=unknown.test")).status).toBe(404);
  });

  it("says the bad field and keeps the file as it was", async () => {
    await admin.goto("/console/provider-file");
    await field(admin, "Server locations").fill("Germany");
    await admin.getByRole("button", { name: "Save" }).click();
    await admin.getByTestId("form-error").waitFor();
    await expect(admin.getByText('"germany" is not a country code').isVisible()).resolves.toBe(
      true,
    );
    expect((await publicFile(`?domain=${domain}`)).body.serverLocations).toEqual(["de", "fr"]);
  });

  it("follows the policy at once and downloads the same document from the console", async () => {
    await prisma.privacyPolicy.update({ where: { id: policyId }, data: { mamRetentionDays: 90 } });
    const { body } = await publicFile(`?domain=${domain}`);
    expect(body.maximumMessageArchiveManagementStorageTime).toBe(90);

    await admin.goto(`/console/servers/${serverId}/provider-file`);
    await admin.getByTestId("provider-file-valid").waitFor();
    const preview = JSON.parse(await admin.getByTestId("provider-file-json").innerText());
    expect(preview).toEqual(body);
    const [download] = await Promise.all([
      admin.waitForEvent("download"),
      admin.getByRole("link", { name: "Download xmpp-provider-v2.json" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("xmpp-provider-v2.json");
    expect(JSON.parse(await readFile((await download.path())!, "utf8"))).toEqual(body);
  });
});
