import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startParley, type ParleyServer } from "../helpers/e2e-server";
import { HttpClient } from "../helpers/e2e-http";

// Issue 11, item 1 over HTTP on the built console: a portal user of a terminated customer signs
// in to a page that says the service has ended, and nothing else (no accounts, no export).
describe("11.1 billing bypass over HTTP: a terminated customer's portal user", () => {
  let server: ParleyServer;
  let ended: HttpClient;
  let control: HttpClient;
  let endedAccount = "";
  let controlAccount = "";

  beforeAll(async () => {
    server = await startParley();
    process.env.DATABASE_URL = `file:${server.dbFile}`;
    delete (globalThis as { parleyPrisma?: unknown }).parleyPrisma;
    const { createWorld, FIXTURE_PASSWORD } = await import("../helpers/fixtures");
    const { prisma } = await import("@/core/db");
    const world = await createWorld();
    endedAccount = (await prisma.xmppAccount.findUniqueOrThrow({ where: { id: world.accountId } }))
      .localpart;
    const other = await prisma.xmppAccount.create({
      data: {
        customerId: world.otherCustomerId,
        serverId: world.serverId,
        localpart: `control${Date.now()}`,
        domain: "control.test",
        status: "ACTIVE",
      },
    });
    controlAccount = other.localpart;
    await prisma.customer.update({
      where: { id: world.customerId },
      data: { status: "TERMINATED", terminatedAt: new Date() },
    });
    ended = new HttpClient(server.url);
    control = new HttpClient(server.url);
    expect((await ended.signIn(world.customerUser.email, FIXTURE_PASSWORD)).status).toBe(200);
    expect((await control.signIn(world.otherCustomerUser.email, FIXTURE_PASSWORD)).status).toBe(
      200,
    );
  }, 600_000);

  afterAll(async () => {
    const holder = globalThis as { parleyPrisma?: { $disconnect: () => Promise<void> } };
    await holder.parleyPrisma?.$disconnect();
    await server?.dispose();
  });

  it("is sent from every portal page to the notice, and the export is refused", async () => {
    for (const page of ["/portal", "/portal/accounts", "/portal/rooms", "/portal/invites"]) {
      const res = await ended.request(page);
      expect(res.body, page).not.toContain(endedAccount);
      expect([307, 308], page).toContain(res.status);
      expect(res.headers.location, page).toMatch(/\/service-ended$/);
    }
    const notice = await ended.request("/service-ended");
    expect(notice.status).toBe(200);
    expect(notice.body).toContain("Your service has ended");
    expect(notice.body).not.toContain(endedAccount);
    const exported = await ended.request("/api/portal/export");
    expect(exported.status).toBe(403);
    expect(exported.body).toContain("has ended");
  });

  it("the control: an active customer's portal user still sees its accounts and exports", async () => {
    const res = await control.request("/portal/accounts");
    expect(res.status).toBe(200);
    expect(res.body).not.toContain("Your service has ended");
    expect(res.body).toContain(controlAccount);
    expect((await control.request("/api/portal/export")).status).toBe(200);
  });
});
