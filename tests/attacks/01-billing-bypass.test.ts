import { beforeEach, describe, expect, it } from "vitest";
import { addHours, subDays } from "date-fns";
import { prisma } from "@/core/db";
import { ZRoomSettings } from "@/lib/validation/rooms";
import { createAccount } from "@/lib/accounts/create-account";
import { changeSuspension, changeSuspensionByHand } from "@/lib/accounts/manage-account";
import { createRoom } from "@/lib/rooms/rooms";
import { createInvite } from "@/lib/invites/create-invite";
import { redeemInvite } from "@/lib/invites/redeem-invite";
import { syncCustomerBilling } from "@/lib/billing/lifecycle";
import {
  closeCustomer,
  deprovisionClosedCustomers,
  restoreCustomer,
} from "@/lib/customers/close-customer";
import { ZCreateInvite } from "@/lib/validation/invites";
import { createAccountAction } from "@/app/(console)/console/accounts/actions";
import { createRoomAction } from "@/app/(console)/console/rooms/actions";
import { GET as exportRoute } from "@/app/api/portal/export/route";
import type { CustomerStatus } from "@/generated/sqlite/enums";
import { createWorld, form, type World } from "../helpers/fixtures";
import { actAs } from "../helpers/session-shim";

// Issue 11, item 1: a customer whose service is suspended, closing, closed or terminated gains
// nothing through its portal users or invites; staff add nothing to a closing or ended one; an
// account added while a billing hold is in force starts with the hold's reason.
let w: World;
beforeEach(async () => {
  w = await createWorld();
});

// The room form's defaults, as the real schema gives them.
const settings = ZRoomSettings.parse({});

async function counts(customerId: string) {
  const [accounts, rooms, invites] = await Promise.all([
    prisma.xmppAccount.count({ where: { customerId } }),
    prisma.room.count({ where: { customerId } }),
    prisma.invite.count({ where: { customerId } }),
  ]);
  return { accounts, rooms, invites };
}

const setStatus = (status: CustomerStatus) =>
  prisma.customer.update({ where: { id: w.customerId }, data: { status } });

describe(`11.1 billing bypass (${process.env.PARLEY_TEST_DB})`, () => {
  for (const status of ["SUSPENDED", "CLOSING", "CLOSED", "TERMINATED"] as const) {
    it(`a portal user of a ${status} customer creates no account, room or invite, and its invites redeem nothing`, async () => {
      const { token } = await createInvite(
        ZCreateInvite.parse({ customerId: w.customerId, kind: "ACCOUNT", maxUses: 5 }),
        w.admin,
      );
      await setStatus(status);
      const before = await counts(w.customerId);
      const attempts = await Promise.allSettled([
        createAccount({ customerId: w.customerId, localpart: "sneaky" }, w.customerUser),
        createRoom(
          { ...settings, customerId: w.customerId, name: "sneaky", members: [] },
          w.customerUser,
        ),
        createInvite(
          ZCreateInvite.parse({ customerId: w.customerId, kind: "ACCOUNT", maxUses: 3 }),
          w.customerUser,
        ),
        redeemInvite(token, { localpart: "joiner", password: "a long enough password" }),
      ]);
      const outcomes = attempts.map((r) =>
        r.status === "fulfilled" ? "created" : String((r.reason as Error).message),
      );
      expect(
        outcomes.filter((o) => o === "created"),
        outcomes.join("\n"),
      ).toEqual([]);
      for (const message of outcomes)
        expect(message).toMatch(/suspended|closing|ended|no longer works|not active/i);
      expect(await counts(w.customerId)).toEqual(before);
      expect(await prisma.invite.findFirst({ where: { customerId: w.customerId } })).toMatchObject({
        uses: 0,
      });
    });
  }

  for (const status of ["CLOSING", "CLOSED", "TERMINATED"] as const) {
    it(`staff add nothing to a ${status} customer`, async () => {
      await setStatus(status);
      const before = await counts(w.customerId);
      await expect(
        createAccount(
          { customerId: w.customerId, localpart: "late", serverId: w.serverId },
          w.admin,
        ),
      ).rejects.toThrow(/closing|closed|terminated/);
      await expect(
        createRoom(
          {
            ...settings,
            customerId: w.customerId,
            name: "late",
            serverId: w.serverId,
            members: [],
          },
          w.admin,
        ),
      ).rejects.toThrow(/closing|closed|terminated/);
      expect(await counts(w.customerId)).toEqual(before);
    });
  }

  it("a portal user of a suspended customer cannot lift its own reason to bring an account back", async () => {
    await prisma.xmppAccount.update({
      where: { id: w.accountId },
      data: { suspensionReasons: JSON.stringify(["customer"]), status: "SUSPENDED" },
    });
    await setStatus("SUSPENDED");
    await expect(
      changeSuspensionByHand(w.accountId, "customer", false, w.customerUser),
    ).rejects.toThrow(/suspended until the outstanding invoice is paid/);
    const account = await prisma.xmppAccount.findUniqueOrThrow({ where: { id: w.accountId } });
    expect(JSON.parse(account.suspensionReasons)).toEqual(["customer"]);
  });

  it("portal users of a terminated customer are refused by every action, with a page that says so", async () => {
    await setStatus("TERMINATED");
    actAs(w.customerUser);
    const account = await createAccountAction(
      undefined,
      form({ customerId: w.customerId, localpart: "ghost" }),
    );
    const room = await createRoomAction(
      undefined,
      form({ customerId: w.customerId, name: "ghost", title: "", maxUsers: 50 }),
    );
    const exported = await exportRoute();
    actAs(null);
    expect(exported.status).toBe(403);
    expect(await exported.json()).toMatchObject({ message: expect.stringMatching(/has ended/) });
    for (const state of [account, room])
      expect(state).toMatchObject({ ok: false, message: expect.stringMatching(/has ended/) });
    expect(await prisma.xmppAccount.count({ where: { localpart: "ghost" } })).toBe(0);
  });

  it("accounts created while the billing hold goes on all end up with the billing reason", async () => {
    await prisma.plan.update({ where: { id: w.planId }, data: { seats: 100 } });
    await prisma.subscription.create({
      data: {
        customerId: w.customerId,
        stripeSubscriptionId: `sub_race_${w.customerId}`,
        status: "PAST_DUE",
        pastDueSince: subDays(new Date(), 30),
      },
    });
    const creations = Array.from({ length: 30 }, (_, i) =>
      createAccount(
        { customerId: w.customerId, localpart: `racer${i}`, serverId: w.serverId },
        w.admin,
      ),
    );
    await Promise.allSettled([
      ...creations.slice(0, 15),
      syncCustomerBilling(w.customerId),
      ...creations.slice(15),
    ]);
    const live = await prisma.xmppAccount.findMany({
      where: { customerId: w.customerId, status: { notIn: ["DELETED", "FAILED"] } },
      select: { localpart: true, suspensionReasons: true },
    });
    const unheld = live.filter((a) => !JSON.parse(a.suspensionReasons).includes("billing"));
    expect(unheld.map((a) => a.localpart)).toEqual([]);
  });

  it("an account created while billing-suspended (past due beyond grace) starts with the billing reason", async () => {
    await prisma.subscription.create({
      data: {
        customerId: w.customerId,
        stripeSubscriptionId: `sub_${w.customerId}`,
        status: "PAST_DUE",
        pastDueSince: subDays(new Date(), 30),
      },
    });
    await syncCustomerBilling(w.customerId);
    expect((await prisma.customer.findUniqueOrThrow({ where: { id: w.customerId } })).status).toBe(
      "SUSPENDED",
    );
    const { accountId } = await createAccount(
      { customerId: w.customerId, localpart: "latecomer", serverId: w.serverId },
      w.admin,
    );
    const account = await prisma.xmppAccount.findUniqueOrThrow({ where: { id: accountId } });
    expect(JSON.parse(account.suspensionReasons)).toEqual(["billing"]);
    // Its creation job registers it and then suspends it (lib/accounts/jobs.ts, "suspend" step).
    expect(
      await prisma.job.count({ where: { type: "account.create", subjectId: accountId } }),
    ).toBe(1);
  });
});

// The same rule under concurrency: a status change and a change to an account's reasons, or two
// status changes, that run at once must not undo each other.
describe(`11.1 billing bypass: status races (${process.env.PARLEY_TEST_DB})`, () => {
  const ROUNDS = 20;

  async function pastDue(daysAgo: number) {
    await prisma.subscription.create({
      data: {
        customerId: w.customerId,
        stripeSubscriptionId: `sub_${w.customerId}`,
        status: "PAST_DUE",
        pastDueSince: subDays(new Date(), daysAgo),
      },
    });
  }

  async function reasonsOf(customerId: string) {
    const rows = await prisma.xmppAccount.findMany({
      where: { customerId },
      select: { id: true, suspensionReasons: true },
    });
    return Object.fromEntries(rows.map((r) => [r.id, JSON.parse(r.suspensionReasons) as string[]]));
  }

  it("staff lifting and adding reasons while the billing hold goes on never drop the billing reason", async () => {
    await pastDue(30);
    const accounts = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        prisma.xmppAccount.create({
          data: {
            customerId: w.customerId,
            serverId: w.serverId,
            localpart: `held${i}`,
            domain: `race-${w.customerId}.test`,
            status: "SUSPENDED",
          },
          select: { id: true, localpart: true },
        }),
      ),
    );
    const ids = accounts.map((a) => a.id);
    const bad: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      await prisma.customer.update({ where: { id: w.customerId }, data: { status: "ACTIVE" } });
      await prisma.xmppAccount.updateMany({
        where: { id: { in: ids } },
        data: { suspensionReasons: JSON.stringify(["staff"]) },
      });
      // Even accounts: staff lift "staff"; odd ones: staff add the "customer" reason.
      const changes = accounts.map((a, i) =>
        i % 2 === 0
          ? changeSuspension(a.id, "staff", false, w.admin)
          : changeSuspension(a.id, "customer", true, w.admin),
      );
      // The hold starts first, last or in the middle of the changes, by round.
      const at = [0, 4, 8][round % 3];
      await Promise.all([
        ...changes.slice(0, at),
        syncCustomerBilling(w.customerId),
        ...changes.slice(at),
      ]);
      const got = await reasonsOf(w.customerId);
      for (const [i, a] of accounts.entries()) {
        const want = i % 2 === 0 ? ["billing"] : ["billing", "customer", "staff"];
        if (JSON.stringify([...got[a.id]].sort()) !== JSON.stringify(want))
          bad.push(`round ${round}: ${a.localpart} has ${JSON.stringify(got[a.id])}`);
      }
    }
    expect(bad, `${bad.length} wrong reason sets`).toEqual([]);
  });

  it("closing wins over a billing sync that read the status before the close", async () => {
    await pastDue(1);
    const bad: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      await prisma.customer.update({
        where: { id: w.customerId },
        data: { status: "ACTIVE", closingAt: null },
      });
      await prisma.xmppAccount.update({
        where: { id: w.accountId },
        data: { suspensionReasons: "[]" },
      });
      const sides = [
        () => syncCustomerBilling(w.customerId),
        () => closeCustomer(w.customerId, w.admin),
      ];
      await Promise.all(round % 2 ? sides.map((f) => f()) : sides.reverse().map((f) => f()));
      const customer = await prisma.customer.findUniqueOrThrow({ where: { id: w.customerId } });
      const reasons = (await reasonsOf(w.customerId))[w.accountId];
      if (customer.status !== "CLOSING" || !customer.closingAt || !reasons.includes("closing"))
        bad.push(`round ${round}: ${customer.status}, account ${JSON.stringify(reasons)}`);
    }
    expect(bad, `${bad.length} closes overwritten`).toEqual([]);
  });

  it("a restore racing the deprovisioning never resurrects a customer whose accounts were removed", async () => {
    const bad: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const closingAt = addHours(new Date(), 1);
      await prisma.customer.update({
        where: { id: w.customerId },
        data: { status: "CLOSING", closingAt, terminatedAt: null },
      });
      await prisma.xmppAccount.update({
        where: { id: w.accountId },
        data: { status: "SUSPENDED", suspensionReasons: JSON.stringify(["closing"]) },
      });
      // The tick runs at the end of the grace period; the restore comes just before it.
      const sides = [
        () => restoreCustomer(w.customerId, w.customerUser),
        () => deprovisionClosedCustomers(addHours(closingAt, 1)),
      ] as const;
      const [restored, deprovisioned] = await Promise.allSettled(
        round % 2 ? [sides[0](), sides[1]()] : [sides[1](), sides[0]()],
      ).then((r) => (round % 2 ? r : [r[1], r[0]]));
      if (deprovisioned.status === "rejected") throw deprovisioned.reason;
      const customer = await prisma.customer.findUniqueOrThrow({ where: { id: w.customerId } });
      const account = await prisma.xmppAccount.findUniqueOrThrow({ where: { id: w.accountId } });
      const restoreWon =
        restored.status === "fulfilled" &&
        customer.status === "ACTIVE" &&
        account.status === "SUSPENDED" &&
        account.suspensionReasons === "[]";
      const closeWon =
        restored.status === "rejected" &&
        customer.status === "CLOSED" &&
        account.status === "DELETING";
      if (!restoreWon && !closeWon)
        bad.push(
          `round ${round}: restore ${restored.status}, customer ${customer.status}, account ${account.status} ${account.suspensionReasons}`,
        );
    }
    expect(bad, `${bad.length} illegal outcomes`).toEqual([]);
  });
});
