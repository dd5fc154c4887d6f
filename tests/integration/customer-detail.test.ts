import { describe, expect, it } from "vitest";
import { prisma } from "@/core/db";
import { getCustomer } from "@/lib/customers/queries";

// The customer page's counts come from that customer's rows only: live accounts (not deleted
// ones), rooms and invites; another customer's rows never count.
describe(`customer detail (${process.env.PARLEY_TEST_DB})`, () => {
  it("counts one customer's live accounts, rooms and invites", async () => {
    const server = await prisma.server.create({
      data: {
        name: "cd-one",
        kind: "EJABBERD",
        domain: "cd.example",
        apiUrl: "http://127.0.0.1:1",
      },
    });
    const [mine, other] = await Promise.all(
      ["Counted Co", "Other Co"].map((name) =>
        prisma.customer.create({ data: { name, contactEmail: `${name[0]}@cd.test` } }),
      ),
    );
    const account = (customerId: string, localpart: string, deleted = false) =>
      prisma.xmppAccount.create({
        data: {
          customerId,
          serverId: server.id,
          localpart,
          domain: "cd.example",
          status: deleted ? "DELETED" : "ACTIVE",
          deletedAt: deleted ? new Date() : null,
        },
      });
    await account(mine.id, "a1");
    await account(mine.id, "a2");
    await account(mine.id, "gone", true);
    await account(other.id, "b1");
    await prisma.room.create({
      data: { customerId: mine.id, serverId: server.id, name: "r1", domain: "muc.cd.example" },
    });
    for (const [customerId, tokenHash] of [
      [mine.id, "h1"],
      [mine.id, "h2"],
      [other.id, "h3"],
    ])
      await prisma.invite.create({ data: { customerId, tokenHash, kind: "ACCOUNT" } });

    expect((await getCustomer(mine.id))?._count).toEqual({ accounts: 2, rooms: 1, invites: 2 });
    expect((await getCustomer(other.id))?._count).toEqual({ accounts: 1, rooms: 0, invites: 1 });
    expect(await getCustomer("no-such-customer")).toBeNull();
  });
});
