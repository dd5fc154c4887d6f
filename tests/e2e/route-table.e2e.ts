import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startParley, type ParleyServer } from "../helpers/e2e-server";
import { HttpClient } from "../helpers/e2e-http";
import { ACCESS_TABLE, CALLERS, type Caller } from "../integration/access-table";

// The route handlers that need Next's request scope (next-auth) are checked here, over
// HTTP on the real server, signed in as each kind of caller. The integration table test
// makes sure every route is listed; this file runs the "http" entries.
const httpEntries = Object.entries(ACCESS_TABLE).filter(
  ([, e]) => e.kind === "route" && e.via === "http",
);

describe("route handlers over HTTP, per caller", () => {
  let server: ParleyServer;
  const clients = new Map<Caller, HttpClient>();
  let customerId = "";

  beforeAll(async () => {
    server = await startParley();
    // The test talks to the server's own SQLite file for its fixtures.
    process.env.DATABASE_URL = `file:${server.dbFile}`;
    delete (globalThis as { parleyPrisma?: unknown }).parleyPrisma;
    const { createWorld, FIXTURE_PASSWORD } = await import("../helpers/fixtures");
    const { prisma: db } = await import("@/core/db");
    const prisma = () => db;
    const world = await createWorld();
    customerId = world.customerId;
    // Billing data that support staff must never receive, in any response.
    await prisma().plan.update({
      where: { id: world.planId },
      data: { priceCents: 1234, stripePriceId: "price_SECRETPRICE" },
    });
    await prisma().customer.update({
      where: { id: world.customerId },
      data: { stripeCustomerId: "cus_SECRETCUSTOMER" },
    });
    await prisma().subscription.create({
      data: {
        customerId: world.customerId,
        stripeSubscriptionId: "sub_SECRETSUB",
        stripePriceId: "price_SECRETPRICE",
        status: "PAST_DUE",
        pastDueSince: new Date(),
      },
    });
    const users: Record<Caller, { email: string } | null> = {
      anonymous: null,
      otherCustomer: world.otherCustomerUser,
      customer: world.customerUser,
      support: world.support,
      admin: world.admin,
    };
    for (const caller of CALLERS) {
      const client = new HttpClient(server.url);
      const user = users[caller];
      if (user) {
        const res = await client.signIn(user.email, FIXTURE_PASSWORD);
        expect(res.status, `${caller} signs in`).toBe(200);
        expect(client.cookie("next-auth.session-token"), `${caller} has a session`).toBeTruthy();
      }
      clients.set(caller, client);
    }
  }, 180_000);

  afterAll(async () => {
    const holder = globalThis as { parleyPrisma?: { $disconnect: () => Promise<void> } };
    await holder.parleyPrisma?.$disconnect();
    await server?.dispose();
  });

  it("has entries to check", () => {
    expect(httpEntries.length).toBeGreaterThan(0);
  });

  for (const [key, entry] of httpEntries) {
    if (entry.kind !== "route") continue;
    for (const caller of CALLERS) {
      it(`${key} · ${caller} → public (${entry.expectStatus})`, async () => {
        const client = clients.get(caller)!;
        const template = entry.request();
        const url = new URL(template.url);
        const body = template.body ? Buffer.from(await template.arrayBuffer()) : undefined;
        const res = await client.request(url.pathname + url.search, {
          method: template.method,
          headers: Object.fromEntries(template.headers),
          ...(body ? { body } : {}),
        });
        expect(res.status).toBe(entry.expectStatus);
        if (entry.expectBody) expect(entry.expectBody(res.body)).toBe(true);
        // Whatever the caller, a forged credentials post never leads into the console.
        if (res.status === 302)
          expect(res.headers.location ?? "").not.toMatch(/\/(console|portal)/);
      });
    }
  }

  it("support staff never receive billing data, in pages or their payloads (admins do: the control)", async () => {
    // Prices, Stripe ids and the subscription panel. (That an account is held for billing is
    // shown to support on purpose: it explains why they cannot lift that suspension.)
    const markers = ["SECRETPRICE", "SECRETCUSTOMER", "SECRETSUB", "12.34", "billing-panel"];
    const pages = [
      "/console",
      `/console/customers/${customerId}`,
      "/console/customers",
      "/console/accounts",
      "/console/search?q=customer",
      "/console/plans",
    ];
    const seen = async (caller: Caller) => {
      const bodies = await Promise.all(
        pages.map(
          async (p) =>
            (await clients.get(caller)!.request(p, { headers: { RSC: "1" } })).body +
            (await clients.get(caller)!.request(p)).body,
        ),
      );
      return markers.filter((m) => bodies.some((b) => b.includes(m)));
    };
    expect(await seen("support")).toEqual([]);
    expect(await seen("admin")).toEqual(expect.arrayContaining(["12.34", "billing-panel"]));
    expect((await clients.get("support")!.request("/console/billing")).status).toBe(404);
  });
});
