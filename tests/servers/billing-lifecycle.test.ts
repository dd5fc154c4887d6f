import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { addDays } from "date-fns";
import { prisma } from "@/core/db";
import { now, resetClock, setClock } from "@/core/clock";
import { createAccount } from "@/lib/accounts/create-account";
import { changeSuspension } from "@/lib/accounts/manage-account";
import { billingTick, syncCustomerBilling } from "@/lib/billing/lifecycle";
import { createAdapter } from "@/provisioning/servers/registry";
import { startEjabberd, type EjabberdInstance } from "../harness/ejabberd";
import { tryLogin } from "../helpers/xmpp-client";
import { createUser, type Actor } from "../helpers/fixtures";
import {
  customerWithSeats,
  registerEjabberd,
  startTestWorker,
  testKey,
} from "../helpers/provisioning-world";

// Billing decisions reach the real server: a missed payment stops logins after the grace
// period, paying restores them with the users' own passwords, and cancellation ends in deletion.
let ej: EjabberdInstance;
let admin: Actor;
let worker: ReturnType<typeof startTestWorker>;
const t0 = new Date();

const login = (username: string, password: string) =>
  tryLogin({ host: "127.0.0.1", port: ej.c2sPort, domain: ej.vhost, username, password });
async function settled() {
  worker.worker.nudge();
  // Jobs due by the (possibly moved) clock the worker uses.
  await expect
    .poll(
      () =>
        prisma.job.count({
          where: {
            status: { in: ["PENDING", "RUNNING"] },
            runAt: { lte: new Date(now().getTime() + 1000) },
          },
        }),
      { timeout: 60_000, interval: 100 },
    )
    .toBe(0);
}

beforeAll(async () => {
  ej = await startEjabberd();
  admin = await createUser("ADMIN");
  worker = startTestWorker();
}, 60_000);
afterEach(() => resetClock());
afterAll(async () => {
  await worker?.stop();
  await ej?.stop();
});

describe("billing on a real ejabberd", () => {
  it("past due beyond the grace period suspends; paying restores own passwords; a staff suspension survives", async () => {
    const server = await registerEjabberd(ej, await ej.mintToken());
    const customer = await customerWithSeats(5);
    const a = await createAccount(
      {
        customerId: customer.id,
        localpart: "payer-one",
        serverId: server.id,
        password: "first own password",
      },
      admin,
    );
    const b = await createAccount(
      {
        customerId: customer.id,
        localpart: "payer-two",
        serverId: server.id,
        password: "second own password",
      },
      admin,
    );
    await settled();
    expect(await login("payer-one", "first own password")).toEqual({ ok: true });

    await prisma.subscription.create({
      data: {
        customerId: customer.id,
        stripeSubscriptionId: "sub_pastdue",
        status: "PAST_DUE",
        pastDueSince: t0,
      },
    });
    await syncCustomerBilling(customer.id);
    await settled();
    expect(await login("payer-two", "second own password")).toEqual({ ok: true }); // still in grace

    // Eight days later (the grace period is seven): the clock stays moved for the worker too.
    setClock(() => addDays(new Date(), 8));
    await billingTick();
    await settled();
    expect((await login("payer-one", "first own password")).ok).toBe(false);
    expect((await login("payer-two", "second own password")).ok).toBe(false);
    await changeSuspension(a.accountId, "staff", true, admin, "abuse report");
    await settled();

    await prisma.subscription.update({
      where: { customerId: customer.id },
      data: { status: "ACTIVE", pastDueSince: null },
    });
    await syncCustomerBilling(customer.id);
    await settled();
    expect(await login("payer-two", "second own password")).toEqual({ ok: true });
    expect((await login("payer-one", "first own password")).ok).toBe(false); // the staff reason stays
    void b;
  }, 120_000);

  it("cancel → terminated after the configured days: accounts gone from the server, usernames tombstoned, customer kept", async () => {
    const server = await prisma.server.findFirstOrThrow({ where: { domain: ej.vhost } });
    const customer = await customerWithSeats(5);
    await createAccount(
      {
        customerId: customer.id,
        localpart: "leaver",
        serverId: server.id,
        password: "leaving password 1",
      },
      admin,
    );
    await settled();
    await prisma.subscription.create({
      data: {
        customerId: customer.id,
        stripeSubscriptionId: "sub_cancel",
        status: "CANCELED",
        canceledAt: t0,
        currentPeriodEnd: t0,
      },
    });
    await syncCustomerBilling(customer.id);
    await settled();
    expect((await login("leaver", "leaving password 1")).ok).toBe(false); // suspended at period end

    setClock(() => addDays(new Date(), 31));
    await billingTick();
    await settled();
    const adapter = createAdapter(server, testKey());
    expect(await adapter.accountExists("leaver")).toBe(false);
    await adapter.close();
    expect(
      await prisma.usernameTombstone.count({
        where: { localpart: "leaver", domain: ej.vhost, customerId: customer.id },
      }),
    ).toBe(1);
    expect((await prisma.customer.findUniqueOrThrow({ where: { id: customer.id } })).status).toBe(
      "TERMINATED",
    );
    const trail = await prisma.auditEvent.findMany({
      where: { customerId: customer.id },
      orderBy: { at: "asc" },
      select: { action: true },
    });
    expect(trail.map((e) => e.action)).toEqual(
      expect.arrayContaining([
        "account.created",
        "customer.billing_suspended",
        "customer.terminated",
      ]),
    );
  }, 120_000);

  it("closing and restoring within the grace period brings accounts back with their passwords; after it they are gone and tombstoned", async () => {
    const server = await prisma.server.findFirstOrThrow({ where: { domain: ej.vhost } });
    const customer = await customerWithSeats(5);
    const owner = await createUser("CUSTOMER", customer.id);
    await createAccount(
      {
        customerId: customer.id,
        localpart: "closer",
        serverId: server.id,
        password: "closer password 1",
      },
      admin,
    );
    await settled();
    const { closeCustomer, restoreCustomer } = await import("@/lib/customers/close-customer");
    await closeCustomer(customer.id, owner);
    await settled();
    expect((await login("closer", "closer password 1")).ok).toBe(false);
    await restoreCustomer(customer.id, owner);
    await settled();
    expect(await login("closer", "closer password 1")).toEqual({ ok: true });

    await closeCustomer(customer.id, owner);
    setClock(() => addDays(new Date(), 15)); // past the 14-day grace period
    await billingTick();
    await settled();
    const adapter = createAdapter(server, testKey());
    expect(await adapter.accountExists("closer")).toBe(false);
    await adapter.close();
    expect(
      await prisma.usernameTombstone.count({
        where: { localpart: "closer", customerId: customer.id },
      }),
    ).toBe(1);
    expect((await prisma.customer.findUniqueOrThrow({ where: { id: customer.id } })).status).toBe(
      "CLOSED",
    );
  }, 120_000);
});
