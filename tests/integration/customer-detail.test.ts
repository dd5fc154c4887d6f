import { describe, expect, it } from "vitest";
import { prisma } from "@/core/db";
import { seatsInUse } from "@/lib/accounts/account-slot";
import { ZCustomerListParams, getCustomer, listCustomers } from "@/lib/customers/queries";

// The customer page's counts come from that customer's rows only: accounts holding a seat (not
// deleted, not failed: the seat rule), rooms and invites; another customer's rows never count.
// The list, the export and the portal count seats with the same filter as the seat check.
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
    const account = (
      customerId: string,
      localpart: string,
      status: "ACTIVE" | "DELETED" | "FAILED" = "ACTIVE",
    ) =>
      prisma.xmppAccount.create({
        data: {
          customerId,
          serverId: server.id,
          localpart,
          domain: "cd.example",
          status,
          deletedAt: status === "DELETED" ? new Date() : null,
        },
      });
    await account(mine.id, "a1");
    await account(mine.id, "a2");
    await account(mine.id, "gone", "DELETED");
    await account(mine.id, "broken", "FAILED");
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
    expect(await seatsInUse(prisma, mine.id)).toBe(2);
    const listed = await listCustomers(ZCustomerListParams.parse({ q: "Counted" }));
    expect(listed.rows.map((r) => [r.name, r.accounts])).toEqual([["Counted Co", 2]]);
  });
});
