import { beforeEach, describe, expect, it } from "vitest";
import { prisma } from "@/core/db";
import { ZRoomSettings } from "@/lib/validation/rooms";
import { createAccount } from "@/lib/accounts/create-account";
import { createRoom } from "@/lib/rooms/rooms";
import { createInvite } from "@/lib/invites/create-invite";
import { ZCreateInvite } from "@/lib/validation/invites";
import { createInviteAction } from "@/app/_components/invites/actions";
import { createWorld, form, type World } from "../helpers/fixtures";
import { actAs } from "../helpers/session-shim";

// Issue 11, item 9: placement is the provider's rule. A portal user who names a server (the
// form has no such field, but a hand-made post can carry one) is refused on every path and
// nothing lands on that server; staff may still choose.
let w: World;
let elsewhere: string;
beforeEach(async () => {
  w = await createWorld();
  await prisma.server.updateMany({ data: { isDefault: false } });
  await prisma.server.update({ where: { id: w.serverId }, data: { isDefault: true } });
  const other = await prisma.server.create({
    data: {
      name: `Premium ${w.customerId}`,
      kind: "EJABBERD",
      domain: `premium-${w.customerId}.test`,
      mucDomain: `conference.premium-${w.customerId}.test`,
      apiUrl: "http://127.0.0.1:9/api",
    },
  });
  elsewhere = other.id;
});

// The room form's defaults, as the real schema gives them.
const settings = ZRoomSettings.parse({});
const onElsewhere = async () => {
  const [accounts, rooms, invites] = await Promise.all([
    prisma.xmppAccount.count({ where: { serverId: elsewhere } }),
    prisma.room.count({ where: { serverId: elsewhere } }),
    prisma.invite.count({ where: { serverId: elsewhere } }),
  ]);
  return accounts + rooms + invites;
};

describe(`11.9 portal users choose the server (${process.env.PARLEY_TEST_DB})`, () => {
  it("a portal user's invite, account and room naming another server are refused", async () => {
    const attempts = await Promise.allSettled([
      createInvite(
        ZCreateInvite.parse({ customerId: w.customerId, kind: "ACCOUNT", serverId: elsewhere }),
        w.customerUser,
      ),
      createAccount(
        { customerId: w.customerId, localpart: "picky", serverId: elsewhere },
        w.customerUser,
      ),
      createRoom(
        { ...settings, customerId: w.customerId, name: "picky", serverId: elsewhere, members: [] },
        w.customerUser,
      ),
    ]);
    const outcomes = attempts.map((r) =>
      r.status === "fulfilled" ? "created" : String((r.reason as Error).message),
    );
    for (const outcome of outcomes) expect(outcome).toMatch(/provider decides which server/);
    expect(await onElsewhere()).toBe(0);
  });

  it("the invite form's action posted by a portal user with a serverId is refused", async () => {
    actAs(w.customerUser);
    const state = await createInviteAction(
      undefined,
      form({ customerId: w.customerId, kind: "ACCOUNT", maxUses: 1, serverId: elsewhere }),
    );
    actAs(null);
    expect(state).toMatchObject({ ok: false, fieldErrors: { serverId: expect.any(Array) } });
    expect(await onElsewhere()).toBe(0);
  });

  it("without a server named, the provider's placement applies; staff may still choose", async () => {
    const { inviteId } = await createInvite(
      ZCreateInvite.parse({ customerId: w.customerId, kind: "ACCOUNT" }),
      w.customerUser,
    );
    const invite = await prisma.invite.findUniqueOrThrow({ where: { id: inviteId } });
    expect(invite.serverId).toBe(w.serverId);
    const staff = await createInvite(
      ZCreateInvite.parse({ customerId: w.customerId, kind: "ACCOUNT", serverId: elsewhere }),
      w.admin,
    );
    expect(
      (await prisma.invite.findUniqueOrThrow({ where: { id: staff.inviteId } })).serverId,
    ).toBe(elsewhere);
  });
});
