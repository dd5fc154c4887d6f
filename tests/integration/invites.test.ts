import { beforeEach, describe, expect, it } from "vitest";
import { readFileSync, existsSync } from "node:fs";
import { addDays } from "date-fns";
import { prisma } from "@/core/db";
import { resetClock, setClock } from "@/core/clock";
import { createInvite, reissueInviteLink, revokeInvite } from "@/lib/invites/create-invite";
import { lookUpInvite } from "@/lib/invites/lookup-invite";
import { lookUpReceipt, redeemInvite } from "@/lib/invites/redeem-invite";
import { createWorld, type World } from "../helpers/fixtures";

let w: World;
let n = 0;
const name = () => `joiner${Date.now().toString(36)}${n++}`;
const PASSWORD = "correct horse battery staple";

beforeEach(async () => {
  w = await createWorld();
  resetClock();
});

async function invite(options: Partial<Parameters<typeof createInvite>[0]> = {}) {
  return createInvite(
    { customerId: w.customerId, kind: "ACCOUNT", maxUses: 1, expiry: "7d", note: "", ...options },
    w.admin,
  );
}

const accountsOf = (customerId: string) =>
  prisma.xmppAccount.count({ where: { customerId, status: { not: "DELETED" } } });
const jobsNow = () => prisma.job.count();

describe("a new link for an open invite", () => {
  it("replaces the old link, keeps uses and expiry, and is refused once the invite is closed", async () => {
    const first = await invite({ maxUses: 3 });
    const { link } = await reissueInviteLink(first.inviteId, w.support);
    const token = link.split("/").pop()!;
    expect((await lookUpInvite(first.token)).state).toBe("unknown");
    expect((await lookUpInvite(token)).state).toBe("valid");
    const row = await prisma.invite.findUniqueOrThrow({ where: { id: first.inviteId } });
    expect(row).toMatchObject({ maxUses: 3, uses: 0 });
    await revokeInvite(first.inviteId, w.admin);
    await expect(reissueInviteLink(first.inviteId, w.admin)).rejects.toThrow(/no longer open/);
  });
});

describe("redeeming invites", () => {
  it("200 concurrent redemptions of a single-use invite create exactly one account", async () => {
    await prisma.plan.update({ where: { id: w.planId }, data: { seats: 500 } });
    const { token } = await invite();
    const before = await accountsOf(w.customerId);
    const results = await Promise.allSettled(
      Array.from({ length: 200 }, () =>
        redeemInvite(token, { localpart: name(), password: PASSWORD }, { throttle: false }),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const failures = results
      .filter((r): r is PromiseRejectedResult => r.status === "rejected")
      .map((r) => String(r.reason.message));
    expect(failures.every((m) => m.includes("already been used"))).toBe(true);
    expect(await accountsOf(w.customerId)).toBe(before + 1);
    expect(
      await prisma.job.count({ where: { type: "account.create", customerId: w.customerId } }),
    ).toBe(1);
    expect(await prisma.inviteUse.count()).toBeGreaterThanOrEqual(1);
  }, 120_000);

  it("a multi-use invite with at most 5 uses creates exactly 5 accounts", async () => {
    await prisma.plan.update({ where: { id: w.planId }, data: { seats: 500 } });
    const { token } = await invite({ maxUses: 5 });
    const before = await accountsOf(w.customerId);
    const results = await Promise.allSettled(
      Array.from({ length: 40 }, () =>
        redeemInvite(token, { localpart: name(), password: PASSWORD }, { throttle: false }),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(5);
    expect(await accountsOf(w.customerId)).toBe(before + 5);
    expect((await lookUpInvite(token)).state).toBe("used");
  }, 120_000);

  it("a customer without a free seat cannot redeem, and both the page and the form say why", async () => {
    await prisma.plan.update({ where: { id: w.planId }, data: { seats: 1 } }); // the world's one account fills it
    const { token } = await invite({ maxUses: 3 });
    const lookup = await lookUpInvite(token);
    expect(lookup.state === "valid" && lookup.invite.seatsLeft).toBe(0);
    const jobs = await jobsNow();
    await expect(redeemInvite(token, { localpart: name(), password: PASSWORD })).rejects.toThrow(
      /no free place left/,
    );
    expect(await accountsOf(w.customerId)).toBe(1);
    expect(await jobsNow()).toBe(jobs);
    // The failed attempt did not spend a use.
    expect(
      (await prisma.invite.findFirstOrThrow({ where: { customerId: w.customerId } })).uses,
    ).toBe(0);
  });

  it("expired, revoked, malformed and unknown links: a clear reason, nothing created or queued", async () => {
    const expired = await invite({ expiry: "1h" });
    const revoked = await invite();
    await revokeInvite(revoked.inviteId, w.admin);
    const before = { accounts: await accountsOf(w.customerId), jobs: await jobsNow() };

    setClock(() => addDays(new Date(), 1));
    expect((await lookUpInvite(expired.token)).state).toBe("expired");
    await expect(
      redeemInvite(expired.token, { localpart: name(), password: PASSWORD }),
    ).rejects.toThrow(/expired/);
    resetClock();
    expect((await lookUpInvite(revoked.token)).state).toBe("revoked");
    await expect(
      redeemInvite(revoked.token, { localpart: name(), password: PASSWORD }),
    ).rejects.toThrow(/withdrawn/);
    expect((await lookUpInvite("short")).state).toBe("malformed");
    expect((await lookUpInvite("A".repeat(43))).state).toBe("unknown");
    await expect(
      redeemInvite("A".repeat(43), { localpart: name(), password: PASSWORD }),
    ).rejects.toThrow(/not valid/);

    expect(await accountsOf(w.customerId)).toBe(before.accounts);
    expect(await jobsNow()).toBe(before.jobs);
  });

  it("a fixed-username invite registers that username and no other", async () => {
    const fixed = name();
    const { token } = await invite({ localpart: fixed });
    await expect(redeemInvite(token, { localpart: name(), password: PASSWORD })).rejects.toThrow(
      new RegExp(`for the username “${fixed}” only`),
    );
    const { address, receipt } = await redeemInvite(token, {
      localpart: fixed,
      password: PASSWORD,
    });
    expect(address.startsWith(`${fixed}@`)).toBe(true);
    expect((await lookUpReceipt(receipt))?.address).toBe(address);
  });

  it("room and contact invites queue the membership and the mutual roster entries", async () => {
    const room = await invite({ kind: "ROOM", roomId: w.roomId, maxUses: 2 });
    const contact = await invite({ kind: "CONTACT", accountId: w.accountId });
    const r = await redeemInvite(room.token, { localpart: name(), password: PASSWORD });
    const c = await redeemInvite(contact.token, { localpart: name(), password: PASSWORD });
    expect(
      await prisma.roomAffiliation.findFirst({ where: { roomId: w.roomId, jid: r.address } }),
    ).toMatchObject({ affiliation: "member" });
    expect(
      await prisma.job.count({ where: { type: "room.affiliation", subjectId: w.roomId } }),
    ).toBe(1);
    const newAccount = await prisma.xmppAccount.findFirstOrThrow({
      where: { localpart: c.address.split("@")[0] },
    });
    const mutual = await prisma.job.findFirstOrThrow({ where: { type: "contact.mutual" } });
    expect(mutual.payload).toEqual({ accountId: newAccount.id, contactAccountId: w.accountId });
  });

  it("notifies the inviter when an invite is used", async () => {
    const { token } = await invite();
    const { address } = await redeemInvite(token, { localpart: name(), password: PASSWORD });
    const notice = await prisma.notification.findFirst({
      where: { userId: w.admin.id, title: `${address} joined` },
    });
    expect(notice).not.toBeNull();
    expect(
      await prisma.outboxEmail.count({
        where: { to: w.admin.email, subject: `${address} joined` },
      }),
    ).toBe(1);
  });

  it("throttles hammering on one link, without storing where it came from", async () => {
    const { token } = await invite();
    const outcomes = [];
    for (let i = 0; i < 30; i++)
      outcomes.push(
        await redeemInvite(token, { localpart: "bad name!", password: PASSWORD }).then(
          () => "ok",
          (e: Error) => e.message,
        ),
      );
    expect(outcomes.some((m) => m.includes("Too many attempts"))).toBe(true);
  });

  it("keeps no invite token and no pending password in clear (with a planted control)", async () => {
    const { token } = await invite({ maxUses: 2 });
    const password = "unique pending password 8472";
    await redeemInvite(token, { localpart: name(), password });
    const dump = async () => {
      const tables = await Promise.all([
        prisma.invite.findMany(),
        prisma.inviteUse.findMany(),
        prisma.job.findMany(),
        prisma.auditEvent.findMany(),
        prisma.xmppAccount.findMany(),
        prisma.outboxEmail.findMany(),
        prisma.notification.findMany(),
      ]);
      const file = process.env.DATABASE_URL!.startsWith("file:")
        ? process.env.DATABASE_URL!.slice(5)
        : null;
      const raw = file
        ? [file, `${file}-wal`]
            .filter(existsSync)
            .map((f) => readFileSync(f).toString("latin1"))
            .join("")
        : "";
      return JSON.stringify(tables) + raw;
    };
    let text = await dump();
    expect(text.includes(token)).toBe(false);
    expect(text.includes(password)).toBe(false);
    await prisma.customer.update({
      where: { id: w.customerId },
      data: { notes: `${token} ${password}` },
    });
    text = (await dump()) + JSON.stringify(await prisma.customer.findMany());
    expect(text.includes(token) && text.includes(password)).toBe(true);
  });
});
