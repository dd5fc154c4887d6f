import { beforeEach, describe, expect, it } from "vitest";
import { prisma } from "@/core/db";
import { createAccount } from "@/lib/accounts/create-account";
import { changeSuspension, deleteAccount } from "@/lib/accounts/manage-account";
import { createRoom } from "@/lib/rooms/rooms";
import { parseReasons } from "@/provisioning/suspension";
import { createWorld, type World } from "../helpers/fixtures";

let w: World;
beforeEach(async () => {
  w = await createWorld();
});

const jobsFor = (subjectId: string) =>
  prisma.job.findMany({
    where: { subjectId },
    orderBy: { createdAt: "asc" },
    select: { type: true, secretEnc: true },
  });

describe("accounts", () => {
  it("are recorded and queued in one step, with the password only in sealed form", async () => {
    const { accountId, address, generatedPassword } = await createAccount(
      { customerId: w.customerId, localpart: "frank", serverId: w.serverId },
      w.admin,
    );
    expect(address).toMatch(/^frank@x[0-9a-f]+\.test$/);
    expect(generatedPassword).toMatch(/^[A-Za-z0-9_-]{20}$/);
    const jobs = await jobsFor(accountId);
    expect(jobs.map((j) => j.type)).toEqual(["account.create"]);
    expect(jobs[0].secretEnc).not.toContain(generatedPassword!);
    expect((await prisma.xmppAccount.findUniqueOrThrow({ where: { id: accountId } })).status).toBe(
      "PENDING",
    );
  });

  it("stay within the plan's seats", async () => {
    // The world's plan has 5 seats and one account already.
    for (let i = 0; i < 4; i++)
      await createAccount(
        { customerId: w.customerId, localpart: `seat${i}`, serverId: w.serverId },
        w.admin,
      );
    await expect(
      createAccount(
        { customerId: w.customerId, localpart: "seat9", serverId: w.serverId },
        w.admin,
      ),
    ).rejects.toThrow(/All 5 seats/);
  });

  it("keep a deleted username for its customer only", async () => {
    const { accountId } = await createAccount(
      { customerId: w.customerId, localpart: "gina", serverId: w.serverId },
      w.admin,
    );
    await deleteAccount(accountId, w.admin);
    // The worker finishes the deletion and leaves a tombstone.
    const account = await prisma.xmppAccount.update({
      where: { id: accountId },
      data: { status: "DELETED", deletedAt: new Date() },
    });
    await prisma.usernameTombstone.create({
      data: { localpart: account.localpart, domain: account.domain, customerId: w.customerId },
    });

    await expect(
      createAccount(
        { customerId: w.otherCustomerId, localpart: "gina", serverId: w.serverId },
        w.admin,
      ),
    ).rejects.toThrow(/cannot be reused/);
    const again = await createAccount(
      { customerId: w.customerId, localpart: "gina", serverId: w.serverId },
      w.admin,
    );
    expect(again.accountId).toBe(accountId);
    expect(await prisma.usernameTombstone.count({ where: { localpart: "gina" } })).toBe(0);
  });

  it("refuse a taken name and a customer without a plan, saying why", async () => {
    await createAccount(
      { customerId: w.customerId, localpart: "hal", serverId: w.serverId },
      w.admin,
    );
    await expect(
      createAccount({ customerId: w.customerId, localpart: "hal", serverId: w.serverId }, w.admin),
    ).rejects.toThrow(/is taken/);
    const planless = await prisma.customer.create({
      data: { name: "No plan", contactEmail: "np@parley.test" },
    });
    await expect(
      createAccount({ customerId: planless.id, localpart: "ivy", serverId: w.serverId }, w.admin),
    ).rejects.toThrow(/no plan/);
  });

  it("are suspended for a set of reasons and unsuspended only when none is left", async () => {
    await changeSuspension(w.accountId, "billing", true, w.admin);
    await changeSuspension(w.accountId, "staff", true, w.admin);
    await changeSuspension(w.accountId, "staff", true, w.admin);
    let row = await prisma.xmppAccount.findUniqueOrThrow({ where: { id: w.accountId } });
    expect(parseReasons(row.suspensionReasons)).toEqual(["billing", "staff"]);
    expect((await changeSuspension(w.accountId, "staff", false, w.admin)).remaining).toEqual([
      "billing",
    ]);
    expect((await changeSuspension(w.accountId, "billing", false, w.admin)).remaining).toEqual([]);
    row = await prisma.xmppAccount.findUniqueOrThrow({ where: { id: w.accountId } });
    expect(parseReasons(row.suspensionReasons)).toEqual([]);
    // The repeated "staff" changes nothing, so it queues no job (it is still audited).
    expect((await jobsFor(w.accountId)).map((j) => j.type)).toEqual(
      Array(4).fill("account.suspension"),
    );
    expect(await prisma.auditEvent.count({ where: { targetId: w.accountId } })).toBe(5);
  });
});

describe("rooms", () => {
  it("stay within the plan's rooms and start with their members", async () => {
    // The world's plan allows 2 rooms and has one.
    const { roomId, address } = await createRoom(
      {
        customerId: w.customerId,
        serverId: w.serverId,
        name: "family",
        title: "Family",
        description: "",
        membersOnly: true,
        public: false,
        archiving: true,
        maxUsers: 10,
        members: [
          { jid: "a@example.org", affiliation: "owner" },
          { jid: "b@example.org", affiliation: "member" },
        ],
      },
      w.admin,
    );
    expect(address).toMatch(/^family@conference\./);
    expect(await prisma.roomAffiliation.count({ where: { roomId } })).toBe(2);
    expect((await jobsFor(roomId)).map((j) => j.type)).toEqual(["room.create"]);
    await expect(
      createRoom(
        {
          customerId: w.customerId,
          serverId: w.serverId,
          name: "third",
          title: "",
          description: "",
          membersOnly: true,
          public: false,
          archiving: false,
          maxUsers: 10,
          members: [],
        },
        w.admin,
      ),
    ).rejects.toThrow(/All 2 rooms/);
  });
});
