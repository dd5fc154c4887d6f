import { prisma } from "@/core/db";
import { now } from "@/core/clock";
import { AppError } from "@/core/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { hashToken, newToken } from "@/core/tokens";
import { enqueue } from "@/lib/jobs/job-types";
import { nudgeWorker } from "@/provisioning/queue/nudge";
import { notifyUsers } from "@/lib/notifications/notify";
import { allowAttempt } from "@/lib/rate-limit/attempts";
import { lockCustomer, reserveAccount, type SlotPolicy } from "@/lib/accounts/account-slot";
import { standingRefusal } from "@/lib/customers/standing";

export const REDEEM_ATTEMPTS_PER_10_MINUTES = 20;
export const REDEEM_ATTEMPTS_PER_CUSTOMER_10_MINUTES = 600;

// Per invite: enough for every allowed use plus mistakes, not for hammering a leaked link. Per
// customer: a ceiling across all its links. Only a valid link reaches either, and there is no
// global limit that strangers could exhaust for everyone.
async function throttleRedemption(invite: { id: string; customerId: string; maxUses: number }) {
  const perInvite = REDEEM_ATTEMPTS_PER_10_MINUTES + 2 * invite.maxUses;
  if (!(await allowAttempt("redeem", invite.id, perInvite, 10 * 60_000)))
    throw new AppError(
      "rate_limited",
      "Too many attempts with this invite. Wait a few minutes and try again.",
    );
  const perCustomer = REDEEM_ATTEMPTS_PER_CUSTOMER_10_MINUTES;
  if (!(await allowAttempt("redeem-customer", invite.customerId, perCustomer, 10 * 60_000)))
    throw new AppError(
      "rate_limited",
      "Registration is busy right now. Wait a few minutes and try again.",
    );
}

export type Redemption = { receipt: string; address: string };

const GONE = {
  used: "This invite has already been used. Ask whoever invited you for a new one.",
  expired: "This invite has expired. Ask whoever invited you for a new one.",
  revoked: "This invite was withdrawn. Ask whoever invited you for a new one.",
} as const;

// Invites (and the first account after a sign-up) add accounts to active customers only; the
// wording speaks to the person joining.
function invitePolicy(customerName: string): SlotPolicy {
  return {
    asker: "invitee",
    refuse(refusal) {
      switch (refusal.reason) {
        case "status":
          return new AppError("not_found", refusal.message);
        case "no_plan":
        case "seats": {
          const seats = refusal.reason === "seats" ? refusal.seats : 0;
          return new AppError(
            "conflict",
            `${customerName} has no free place left (${seats} of ${seats} in use). Ask whoever invited you to make room.`,
          );
        }
        case "reserved":
        case "taken":
          return new AppError("conflict", `${refusal.address} is taken. Choose another username.`, {
            localpart: ["Taken"],
          });
      }
    },
  };
}

// Turns an invite into a new XMPP account, exactly once per allowed use: the use counter is
// taken with a compare-and-set inside the same transaction that records the account and queues
// its creation, after locking the customer's row so concurrent redemptions queue up behind each
// other (seat counts stay exact); the account itself follows the one rule (account-slot.ts).
// Anything that fails rolls the whole redemption back.
export async function redeemInvite(
  token: string,
  input: { localpart: string; password: string },
  options: { throttle?: boolean } = {},
): Promise<Redemption> {
  const throttle = options.throttle ?? true;
  // Unknown tokens are refused by one indexed lookup, before any shared limit, so strangers
  // guessing links cannot use up anyone's budget.
  const invite = await prisma.invite.findUnique({
    where: { tokenHash: hashToken(token) },
    select: {
      id: true,
      kind: true,
      customerId: true,
      createdById: true,
      serverId: true,
      localpart: true,
      roomId: true,
      accountId: true,
      maxUses: true,
      expiresAt: true,
      revokedAt: true,
      customer: { select: { name: true, status: true } },
    },
  });
  if (!invite || !invite.serverId)
    throw new AppError(
      "not_found",
      "This invite link is not valid. Check that you copied all of it.",
    );
  if (throttle) await throttleRedemption(invite);
  if (invite.revokedAt) throw new AppError("not_found", GONE.revoked);
  const standing = standingRefusal(invite.customer.status, "invitee");
  if (standing) throw new AppError("not_found", standing);
  if (invite.expiresAt && invite.expiresAt <= now()) throw new AppError("not_found", GONE.expired);
  if (invite.localpart && input.localpart !== invite.localpart) {
    throw new AppError("invalid", `This invite is for the username “${invite.localpart}” only.`, {
      localpart: [`Use ${invite.localpart}`],
    });
  }
  const server = await prisma.server.findUniqueOrThrow({
    where: { id: invite.serverId },
    select: { id: true, domain: true },
  });
  const address = `${input.localpart}@${server.domain}`;
  const receipt = newToken();

  await prisma.$transaction(
    async (tx) => {
      const customer = await lockCustomer(tx, invite.customerId);
      const taken = await tx.invite.updateMany({
        where: {
          id: invite.id,
          revokedAt: null,
          uses: { lt: invite.maxUses },
          OR: [{ expiresAt: null }, { expiresAt: { gt: now() } }],
        },
        data: { uses: { increment: 1 } },
      });
      if (taken.count !== 1) throw new AppError("not_found", GONE.used);
      const account = await reserveAccount(
        tx,
        { customer, server, localpart: input.localpart },
        invitePolicy(customer.name),
      );
      await tx.inviteUse.create({
        data: {
          inviteId: invite.id,
          accountId: account.id,
          receiptHash: hashToken(receipt),
          usedAt: now(),
        },
      });
      const common = { serverId: server.id, customerId: invite.customerId };
      await enqueue(
        tx,
        "account.create",
        { accountId: account.id },
        { secret: input.password, subjectId: account.id, ...common },
      );
      if (invite.kind === "ROOM" && invite.roomId) {
        const jid = address;
        await tx.roomAffiliation.upsert({
          where: { roomId_jid: { roomId: invite.roomId, jid } },
          create: { roomId: invite.roomId, jid, affiliation: "member" },
          update: { affiliation: "member" },
        });
        await enqueue(
          tx,
          "room.affiliation",
          { roomId: invite.roomId, jid, affiliation: "member" },
          { subjectId: invite.roomId, ...common },
        );
      }
      if (invite.kind === "CONTACT" && invite.accountId) {
        await enqueue(
          tx,
          "contact.mutual",
          { accountId: account.id, contactAccountId: invite.accountId },
          { subjectId: account.id, ...common },
        );
      }
      await recordAudit(
        {
          actor: null,
          action: "invite.redeemed",
          targetType: "invite",
          targetId: invite.id,
          customerId: invite.customerId,
          details: { address },
        },
        tx,
      );
    },
    { maxWait: 20_000, timeout: 20_000 },
  );

  nudgeWorker();
  if (invite.createdById) {
    await notifyUsers([invite.createdById], {
      title: `${address} joined`,
      body: `Someone used your invite to ${invite.customer.name} and registered ${address}.`,
      link: "/",
      email: true,
    });
  }
  return { receipt, address };
}

export type ReceiptView = {
  address: string;
  status: string;
  kind: string;
  room: string | null;
  contact: string | null;
  lastError: string | null;
};

// What the new member sees after registering: their address and whether it is ready.
export async function lookUpReceipt(receipt: string): Promise<ReceiptView | null> {
  if (!/^[A-Za-z0-9_-]{40,64}$/.test(receipt)) return null;
  const use = await prisma.inviteUse.findUnique({
    where: { receiptHash: hashToken(receipt) },
    select: { accountId: true, invite: { select: { kind: true, roomId: true, accountId: true } } },
  });
  if (!use?.accountId) return null;
  const account = await prisma.xmppAccount.findUnique({
    where: { id: use.accountId },
    select: { localpart: true, domain: true, status: true },
  });
  if (!account) return null;
  const [job, room, contact] = await Promise.all([
    prisma.job.findFirst({
      where: { subjectId: use.accountId, type: "account.create" },
      orderBy: { createdAt: "desc" },
      select: { lastError: true, status: true },
    }),
    use.invite.roomId
      ? prisma.room.findUnique({
          where: { id: use.invite.roomId },
          select: { name: true, domain: true },
        })
      : null,
    use.invite.accountId
      ? prisma.xmppAccount.findUnique({
          where: { id: use.invite.accountId },
          select: { localpart: true, domain: true },
        })
      : null,
  ]);
  return {
    address: `${account.localpart}@${account.domain}`,
    status: account.status,
    kind: use.invite.kind,
    room: room ? `${room.name}@${room.domain}` : null,
    contact: contact ? `${contact.localpart}@${contact.domain}` : null,
    lastError: job?.status === "PENDING" ? job.lastError : null,
  };
}
