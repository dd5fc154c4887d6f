import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  appendFileSync,
  copyFileSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { createClient } from "@libsql/client";
import type { Browser } from "playwright-core";
import { startParley, type ParleyServer } from "../helpers/e2e-server";
import {
  createFirstAdmin,
  field,
  launchChromium,
  newPage,
  signIn,
  trySignIn,
  unique,
  waitForPath,
  TEST_PASSWORD,
} from "../helpers/e2e-browser";
import { HttpClient, hiddenFormFields } from "../helpers/e2e-http";
import { scanForAddresses, sqliteFiles } from "../helpers/e2e-ip-scan";

// ACCEPTANCE: after the end-to-end run, the database and logs contain no client IP address.
// Tests reach the console from a distinctive client address and with forwarded-for headers,
// and a planted copy of such an address is found by the same scan (so the scan can fail).

const BROWSER_XFF = "198.51.100.77";
const BROWSER_FORWARDED = "198.51.100.78";
const NODE_SOURCE = "127.86.75.64"; // a loopback source address no other test uses
const NODE_XFF = "203.0.113.99";
const NODE_XFF_V6 = "2001:db8:86::99";
const ADDRESSES = [BROWSER_XFF, BROWSER_FORWARDED, NODE_SOURCE, NODE_XFF, NODE_XFF_V6];

const BROWSER_HEADERS = {
  "X-Forwarded-For": BROWSER_XFF,
  "X-Real-IP": BROWSER_XFF,
  Forwarded: `for=${BROWSER_FORWARDED}`,
};
const NODE_HEADERS = {
  "X-Forwarded-For": `${NODE_XFF}, ${NODE_XFF_V6}`,
  "X-Real-IP": NODE_XFF,
  Forwarded: `for=${NODE_XFF};proto=http, for="[${NODE_XFF_V6}]"`,
  "True-Client-IP": NODE_XFF,
  "CF-Connecting-IP": NODE_XFF,
  "User-Agent": `parley-e2e (${NODE_XFF})`,
};

// What a server sees as the peer of a connection made with `localAddress`.
async function peerAddressSeenFrom(localAddress: string): Promise<string> {
  const server = net.createServer();
  const seen = new Promise<string>((resolve) =>
    server.once("connection", (socket) => {
      resolve(socket.remoteAddress ?? "");
      socket.destroy();
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  const socket = net.connect({ host: "127.0.0.1", port, localAddress });
  socket.on("error", () => {});
  try {
    return await seen;
  } finally {
    socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  }
}

describe("no client IP addresses in the database or the logs", () => {
  let server: ParleyServer;
  let browser: Browser;
  const admin = {
    name: "Ida Privacy",
    email: `${unique("ip-admin")}@parley.test`.toLowerCase(),
    password: TEST_PASSWORD,
  };
  const browserPlan = unique("ip-browser-plan");
  const browserCustomer = unique("ip-browser-customer");
  const nodePlan = unique("ip-node-plan");
  const nodeCustomer = unique("ip-node-customer");
  const scratch: string[] = [];

  beforeAll(async () => {
    server = await startParley();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
    for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
  });

  it("the distinctive source address really is what the server sees", async () => {
    expect(await peerAddressSeenFrom(NODE_SOURCE)).toBe(NODE_SOURCE);
  });

  it("Chromium with forwarded-for headers: setup, a failed sign-in, sign-in, a plan and a customer", async () => {
    const { context, page } = await newPage(browser, server.url, {
      extraHTTPHeaders: BROWSER_HEADERS,
    });
    try {
      const sent = page.waitForRequest((r) => r.url().startsWith(server.url));
      await createFirstAdmin(page, server.setupUrl()!, admin);
      expect((await (await sent).allHeaders())["x-forwarded-for"]).toBe(BROWSER_XFF);

      const failed = await trySignIn(page, admin.email, "not the right password");
      expect(failed.result).toBe("error");
      await signIn(page, admin.email, admin.password);

      await page.goto("/console/plans/new");
      await field(page, "Name").fill(browserPlan);
      await page.getByRole("button", { name: "Create plan" }).click();
      await waitForPath(page, "/console/plans", { created: "1" });

      await page.goto("/console/customers/new");
      await field(page, "Name").fill(browserCustomer);
      await field(page, "Contact email").fill(`${unique("ip-contact")}@example.org`);
      await field(page, "Notes for staff").fill("Added by the no-IP test from the browser");
      await page.getByRole("button", { name: "Add customer" }).click();
      await waitForPath(page, /^\/console\/customers\/(?!new$)[^/]+$/, { created: "1" });
      await page.goto("/console/audit");
      await page.getByRole("cell", { name: "customer.created", exact: true }).waitFor();
    } finally {
      await context.close();
    }
  });

  it("a restart keeps the data and prints no new setup link (its output is scanned too)", async () => {
    const before = server.output();
    await server.restart();
    expect(server.setupUrl()).toBeNull();
    expect(server.runOutput()).toContain("Ready");
    expect(server.output().startsWith(before)).toBe(true);
  });

  it(`Node HTTP from ${NODE_SOURCE} with forwarded headers: failed and successful sign-ins and two no-JS form posts`, async () => {
    const client = new HttpClient(server.url, { localAddress: NODE_SOURCE, headers: NODE_HEADERS });
    expect((await client.request("/api/health")).status).toBe(200);

    const unknown = await client.signIn(`${unique("nobody")}@parley.test`, "whatever it is");
    expect(unknown.status).toBe(401);
    const wrong = await client.signIn(admin.email, "still not the right password");
    expect(wrong.status).toBe(401);
    expect(client.cookie("next-auth.session-token")).toBeUndefined();

    const ok = await client.signIn(admin.email, admin.password);
    expect(ok.status, ok.body).toBe(200);
    expect(client.cookie("next-auth.session-token")).toBeTruthy();

    // Server actions posted as plain forms (progressive enhancement), as a script could.
    const origin = { origin: server.url };
    const newPlan = await client.request("/console/plans/new");
    expect(newPlan.status).toBe(200);
    const planPost = await client.postMultipart(
      "/console/plans/new",
      [
        ...hiddenFormFields(newPlan.body, "Create plan"),
        ["name", nodePlan],
        ["description", ""],
        ["seats", "3"],
        ["rooms", "1"],
        ["retentionDays", "7"],
        ["price", ""],
        ["currency", "EUR"],
      ],
      origin,
    );
    expect(
      [303, 307, 302],
      `plan post: ${planPost.status} ${planPost.body.slice(0, 500)}`,
    ).toContain(planPost.status);
    expect(planPost.headers.location).toMatch(/\/console\/plans\?created=1$/);

    const newCustomer = await client.request("/console/customers/new");
    expect(newCustomer.status).toBe(200);
    const customerPost = await client.postMultipart(
      "/console/customers/new",
      [
        ...hiddenFormFields(newCustomer.body, "Add customer"),
        ["name", nodeCustomer],
        ["kind", "COMPANY"],
        ["contactEmail", `${unique("ip-node")}@example.org`],
        ["planId", ""],
        ["notes", "Added over plain HTTP"],
      ],
      origin,
    );
    expect(
      [303, 307, 302],
      `customer post: ${customerPost.status} ${customerPost.body.slice(0, 500)}`,
    ).toContain(customerPost.status);
    expect(customerPost.headers.location).toMatch(/\/console\/customers\/[^/]+\?created=1$/);

    const plans = await client.request("/console/plans");
    expect(plans.body).toContain(nodePlan);
    expect(plans.body).toContain(browserPlan);
    const customers = await client.request(
      `/console/customers?q=${encodeURIComponent(nodeCustomer)}`,
    );
    expect(customers.body).toContain(nodeCustomer);
  });

  it("after the server stops, neither its database, its data dir nor its output holds any of those addresses", async () => {
    await server.stop();
    const dbFiles = sqliteFiles(server.dbFile);
    expect(dbFiles).toContain(server.dbFile);
    // The scan reads the data that was written: the names typed above are in the database files.
    const written = scanForAddresses({ files: dbFiles }, [
      browserPlan,
      browserCustomer,
      nodePlan,
      nodeCustomer,
      admin.email,
    ]);
    expect(new Set(written.map((f) => f.address))).toEqual(
      new Set([browserPlan, browserCustomer, nodePlan, nodeCustomer, admin.email]),
    );
    expect(server.output()).toContain("Ready");

    const findings = scanForAddresses(
      { files: dbFiles, dirs: [server.dataDir], texts: { "server output": server.output() } },
      ADDRESSES,
    );
    expect(findings).toEqual([]);
  });

  it("the same scan reports an address planted in a copy of the database and of the log", async () => {
    const copyDir = mkdtempSync(path.join(os.tmpdir(), "parley-ip-plant-"));
    scratch.push(copyDir);
    for (const file of sqliteFiles(server.dbFile))
      copyFileSync(file, path.join(copyDir, path.basename(file)));
    const copyDb = path.join(copyDir, path.basename(server.dbFile));
    expect(scanForAddresses({ dirs: [copyDir] }, ADDRESSES)).toEqual([]);

    const db = createClient({ url: `file:${copyDb}` });
    try {
      const updated = await db.execute({
        sql: `UPDATE "Customer" SET "notes" = "notes" || ? WHERE "name" = ?`,
        args: [` seen from ${NODE_XFF}`, nodeCustomer],
      });
      expect(updated.rowsAffected).toBe(1);
    } finally {
      db.close();
    }
    const logCopy = path.join(copyDir, "server.log");
    writeFileSync(logCopy, server.output());
    appendFileSync(logCopy, `\nGET /console 200 client=${BROWSER_XFF}\n`);

    const findings = scanForAddresses({ dirs: [copyDir] }, ADDRESSES);
    const dbNames = new Set(
      readdirSync(copyDir)
        .filter((n) => n.startsWith(path.basename(copyDb)))
        .map((n) => path.join(copyDir, n)),
    );
    const inDb = findings.filter((f) => [...dbNames].some((n) => f.source.startsWith(n)));
    const inLog = findings.filter((f) => f.source.startsWith(logCopy));
    expect(inDb.map((f) => f.address)).toContain(NODE_XFF);
    expect(inDb.every((f) => f.address === NODE_XFF)).toBe(true);
    expect(inLog.map((f) => f.address)).toEqual([BROWSER_XFF]);
    expect(inLog[0].context).toContain("client=198.51.100.77");

    // The same via captured text, as the acceptance scan reads the live output.
    const asText = scanForAddresses(
      { texts: { log: `${server.output()}\nfrom ${NODE_SOURCE}\n` } },
      ADDRESSES,
    );
    expect(asText.map((f) => f.address)).toEqual([NODE_SOURCE]);
  });
});
