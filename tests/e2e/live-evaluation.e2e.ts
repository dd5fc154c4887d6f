import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startProsody, type ProsodyInstance } from "../harness/prosody";
import { createTestPki, type Issued, type TestPki } from "../harness/test-pki";
import { field, waitForPath } from "../helpers/e2e-browser";
import { openConsoleAsAdmin, type SignedInConsole } from "../helpers/e2e-console";

// An admin enters a real Prosody's address and ports, asks for a live check on the compliance
// report and reads the grade, the reasons and the features there; the worker runs inside the
// console. The console trusts the test CA through PARLEY_EXTRA_CA_FILE.

let pki: TestPki;
let good: Issued;
let pr: ProsodyInstance;
let c: SignedInConsole;
let path = "";

beforeAll(async () => {
  pki = createTestPki();
  good = pki.issue("good", { names: ["example.test", "*.example.test"], days: 30 });
  pr = await startProsody({ tls: good, s2s: true });
  c = await openConsoleAsAdmin("Lena Live", { PARLEY_EXTRA_CA_FILE: pki.caFile });
});

afterAll(async () => {
  await c?.close();
  await pr?.stop();
  pki?.remove();
});

async function checkLiveNow(grade: string) {
  const page = c.admin;
  await page.goto(`${path}/compliance`);
  await page.getByRole("button", { name: "Check live now" }).click();
  await expect(page.getByTestId("form-success").innerText()).resolves.toContain(
    "Live check queued",
  );
  await expect
    .poll(
      async () => {
        await page.reload();
        return page.getByTestId("live-evaluation").innerText();
      },
      { timeout: 60_000, interval: 1_000 },
    )
    .toMatch(new RegExp(`TLS ${grade}\\b(?![\\s\\S]*check queued)`));
}

describe("the live evaluation in the console", () => {
  it("is set up on the server's page and shows grade, reasons and features on the report", async () => {
    const page = c.admin;
    await page.goto("/console/servers/new");
    await field(page, "Name").fill("Prosody live");
    await field(page, "Kind").selectOption("PROSODY");
    await field(page, "XMPP domain").fill(pr.vhost);
    await field(page, "Group chat (MUC) service").fill(pr.mucDomain);
    await field(page, "Configuration file").fill(pr.configPath);
    await field(page, "Address").fill("127.0.0.1");
    await field(page, "Client port (STARTTLS)").fill(String(pr.c2sPort));
    await field(page, "Server-to-server port (STARTTLS)").fill(String(pr.s2sPort));
    await page.getByRole("button", { name: "Add server" }).click();
    await waitForPath(page, /^\/console\/servers\/(?!new)[^/]+$/);
    path = new URL(page.url()).pathname;

    await checkLiveNow("A");
    const live = page.getByTestId("live-evaluation");
    await expect(live.getByTestId("probe-account").innerText()).resolves.toBe(
      "parley-probe@example.test",
    );
    await expect(live.innerText()).resolves.toContain("Parley’s probe account (not a customer’s");
    await expect(page.getByTestId("live-XEP-0280").innerText()).resolves.toMatch(
      /✓\s*urn:xmpp:carbons:2/,
    );
    await expect(page.getByTestId("tls-s2s-starttls").innerText()).resolves.toContain("required");
    await page.screenshot({ path: "/tmp/parley-live-report.png", fullPage: true });
    await page.goto(path);
    await expect(page.getByTestId("server-probe").innerText()).resolves.toContain(
      "parley-probe@example.test",
    );
  });

  it("shows a weak setup's lower grade with its reason", async () => {
    await pr.reconfigure({ tls: { ...good, protocol: "tlsv1", ciphers: "DEFAULT:@SECLEVEL=0" } });
    await checkLiveNow("C");
    await expect(
      c.admin.getByTestId("tls-c2s-starttls").getByTestId("grade-reasons").innerText(),
    ).resolves.toContain("Capped at C: neither TLS 1.2 nor TLS 1.3 is accepted.");
  });
});
