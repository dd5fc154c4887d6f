import { beforeEach, describe, expect, it } from "vitest";
import { prisma } from "@/core/db";
import { ZRoomSettings } from "@/lib/validation/rooms";
import { createAccount } from "@/lib/accounts/create-account";
import { createRoom } from "@/lib/rooms/rooms";
import { createInvite } from "@/lib/invites/create-invite";
import { redeemInvite } from "@/lib/invites/redeem-invite";
import { ZCreateInvite } from "@/lib/validation/invites";
import { createUser, createWorld, type World } from "../helpers/fixtures";

// Issue 11, item 4: 50–100 creations in flight at once on a 5-seat, 2-room plan must end with
// exactly 5 accounts and 2 rooms, whichever paths they come through.
let w: World;
let customerId: string;
let portalUser: Awaited<ReturnType<typeof createUser>>;
beforeEach(async () => {
  w = await createWorld();
  const plan = await prisma.plan.create({
    data: { name: `Tight ${Date.now()}-${Math.random()}`, seats: 5, rooms: 2, retentionDays: 30 },
  });
  const customer = await prisma.customer.create({
    data: { name: "Tight plan", contactEmail: "tight@parley.test", planId: plan.id },
  });
  customerId = customer.id;
  portalUser = await createUser("CUSTOMER", customerId);
});

const live = { status: { notIn: ["DELETED", "FAILED"] as ("DELETED" | "FAILED")[] } };
// The room form's defaults, as the real schema gives them.
const settings = ZRoomSettings.parse({});

describe(`11.4 seat and room limits (${process.env.PARLEY_TEST_DB})`, () => {
  it("100 parallel account creations on a 5-seat plan make exactly 5 accounts", async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 100 }, (_, i) =>
        createAccount({ customerId, localpart: `seat${i}`, serverId: w.serverId }, w.admin),
      ),
    );
    const made = results.filter((r) => r.status === "fulfilled").length;
    expect(await prisma.xmppAccount.count({ where: { customerId, ...live } })).toBe(5);
    expect(made).toBe(5);
    const refused = results
      .filter((r): r is PromiseRejectedResult => r.status === "rejected")
      .map((r) => String((r.reason as Error).message));
    expect(
      refused.every((m) => m.includes("seats")),
      refused.slice(0, 3).join("\n"),
    ).toBe(true);
  }, 120_000);

  it("50 parallel room creations on a 2-room plan make exactly 2 rooms", async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        createRoom(
          { ...settings, customerId, name: `slot${i}`, serverId: w.serverId, members: [] },
          w.admin,
        ),
      ),
    );
    expect(await prisma.room.count({ where: { customerId, ...live } })).toBe(2);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(2);
  }, 120_000);

  it("console, portal and invite paths at once still stop at 5 seats", async () => {
    const { token } = await createInvite(
      ZCreateInvite.parse({ customerId, kind: "ACCOUNT", maxUses: 100 }),
      w.admin,
    );
    const results = await Promise.allSettled(
      Array.from({ length: 90 }, (_, i) => {
        const localpart = `mix${i}`;
        if (i % 3 === 0)
          return createAccount({ customerId, localpart, serverId: w.serverId }, w.admin);
        if (i % 3 === 1) return createAccount({ customerId, localpart }, portalUser);
        return redeemInvite(token, { localpart, password: "a long enough password" });
      }),
    );
    expect(await prisma.xmppAccount.count({ where: { customerId, ...live } })).toBe(5);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(5);
  }, 120_000);
});
