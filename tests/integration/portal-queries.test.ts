import { beforeEach, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { prisma } from "@/core/db";
import { createInvite } from "@/lib/invites/create-invite";
import {
  getPortalAccounts,
  getPortalBilling,
  getPortalInvites,
  getPortalOverview,
  getPortalRooms,
  listPortalPeople,
} from "@/lib/portal/queries";
import { createWorld, type World } from "../helpers/fixtures";

// Portal reads take the caller and read only the caller's customer: two customers, each with
// accounts, rooms, invites, people and a subscription; neither ever sees the other's rows.

let w: World;
type Rows = {
  accounts: string[];
  rooms: string[];
  invites: string[];
  users: string[];
  jids: string[];
};
let own: Rows;
let other: Rows;
const OWN_END = new Date("2031-01-01T00:00:00Z");
const OTHER_END = new Date("2032-06-01T00:00:00Z");
const unique = () => randomBytes(4).toString("hex");

async function seed(
  customerId: string,
  existing: { accountId?: string; roomId?: string; userId: string },
  periodEnd: Date,
): Promise<Rows> {
  const server = await prisma.server.findUniqueOrThrow({
    where: { id: w.serverId },
    select: { domain: true, mucDomain: true },
  });
  const account = await prisma.xmppAccount.create({
    data: {
      customerId,
      serverId: w.serverId,
      localpart: `p${unique()}`,
      domain: server.domain,
      status: "SUSPENDED",
      suspensionReasons: '["customer"]',
    },
  });
  const jid = `member-${unique()}@${server.domain}`;
  const room = await prisma.room.create({
    data: {
      customerId,
      serverId: w.serverId,
      name: `r${unique()}`,
      domain: server.mucDomain!,
      status: "ACTIVE",
      affiliations: { create: [{ jid, affiliation: "member" }] },
    },
  });
  const invite = await createInvite(
    { customerId, kind: "ACCOUNT", maxUses: 1, expiry: "7d", note: "" },
    w.admin,
  );
  await prisma.subscription.create({
    data: {
      customerId,
      stripeSubscriptionId: `sub_${unique()}`,
      status: "ACTIVE",
      currentPeriodEnd: periodEnd,
    },
  });
  return {
    accounts: [account.id, ...(existing.accountId ? [existing.accountId] : [])],
    rooms: [room.id, ...(existing.roomId ? [existing.roomId] : [])],
    invites: [invite.inviteId],
    users: [existing.userId],
    jids: [jid],
  };
}

beforeEach(async () => {
  w = await createWorld();
  own = await seed(
    w.customerId,
    { accountId: w.accountId, roomId: w.roomId, userId: w.customerUser.id },
    OWN_END,
  );
  other = await seed(w.otherCustomerId, { userId: w.otherCustomerUser.id }, OTHER_END);
});

describe("portal queries scope every read by the caller's customer", () => {
  it("the overview is the caller's own customer", async () => {
    expect((await getPortalOverview(w.customerUser))?.id).toBe(w.customerId);
    expect((await getPortalOverview(w.otherCustomerUser))?.id).toBe(w.otherCustomerId);
  });

  it("accounts: only the caller's, with parsed reasons and the plan's places", async () => {
    const mine = await getPortalAccounts(w.customerUser);
    expect(mine.accounts.map((a) => a.id).sort()).toEqual([...own.accounts].sort());
    expect(mine.seats).toBe(5);
    expect(mine.accounts.find((a) => a.id === own.accounts[0])?.reasons).toEqual(["customer"]);
    const theirs = await getPortalAccounts(w.otherCustomerUser);
    expect(theirs.accounts.map((a) => a.id)).toEqual(other.accounts);
  });

  it("rooms: only the caller's, with only their members", async () => {
    const mine = await getPortalRooms(w.customerUser);
    expect(mine.rooms.map((r) => r.id).sort()).toEqual([...own.rooms].sort());
    const jids = mine.rooms.flatMap((r) => r.affiliations.map((a) => a.jid));
    expect(jids).toEqual(own.jids);
    const theirs = await getPortalRooms(w.otherCustomerUser);
    expect(theirs.rooms.map((r) => r.id)).toEqual(other.rooms);
  });

  it("invites and the rooms and accounts an invite may name: only the caller's", async () => {
    const mine = await getPortalInvites(w.customerUser);
    expect(mine.invites.map((i) => i.id)).toEqual(own.invites);
    expect(mine.invites.every((i) => i.customer.id === w.customerId)).toBe(true);
    expect(mine.rooms.map((r) => r.id).sort()).toEqual([...own.rooms].sort());
    expect(mine.accounts.map((a) => a.id).sort()).toEqual([...own.accounts].sort());
    const theirs = await getPortalInvites(w.otherCustomerUser);
    expect(theirs.invites.map((i) => i.id)).toEqual(other.invites);
    expect(theirs.rooms.map((r) => r.id)).toEqual(other.rooms);
    expect(theirs.accounts.map((a) => a.id)).toEqual(other.accounts);
  });

  it("people: only the caller's customer's portal users", async () => {
    expect((await listPortalPeople(w.customerUser)).map((u) => u.id)).toEqual(own.users);
    expect((await listPortalPeople(w.otherCustomerUser)).map((u) => u.id)).toEqual(other.users);
  });

  it("billing: the caller's own subscription", async () => {
    const mine = await getPortalBilling(w.customerUser);
    const theirs = await getPortalBilling(w.otherCustomerUser);
    expect(mine.subscription?.currentPeriodEnd).toEqual(OWN_END);
    expect(theirs.subscription?.currentPeriodEnd).toEqual(OTHER_END);
  });

  it("staff, and a customer role without a customer, get nothing", async () => {
    const callers = [
      w.admin,
      w.support,
      { ...w.admin, customerId: w.customerId }, // a staff role never reads through the portal
      { ...w.customerUser, customerId: null },
    ];
    for (const caller of callers) {
      await expect(getPortalOverview(caller)).rejects.toThrow(/does not exist/);
      await expect(getPortalAccounts(caller)).rejects.toThrow(/does not exist/);
      await expect(getPortalRooms(caller)).rejects.toThrow(/does not exist/);
      await expect(getPortalInvites(caller)).rejects.toThrow(/does not exist/);
      await expect(listPortalPeople(caller)).rejects.toThrow(/does not exist/);
      await expect(getPortalBilling(caller)).rejects.toThrow(/does not exist/);
    }
  });
});
