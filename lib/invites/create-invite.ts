import { addHours } from "date-fns";
import { prisma } from "@/core/db";
import { now } from "@/core/clock";
import { getConfig } from "@/core/config";
import { AppError } from "@/core/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { hashToken, newToken } from "@/core/tokens";
import { pickServerFor, serverChoiceOf } from "@/lib/servers/pick-server";
import { checkUsernameAvailable, lockCustomer } from "@/lib/accounts/account-slot";
import { askerOf, standingRefusal } from "@/lib/customers/standing";
import { spendUsernameCheck } from "@/lib/invites/username-check";
import { INVITE_EXPIRIES, type TCreateInvite } from "@/lib/validation/invites";
import type { CustomerStatus, Role } from "@/generated/sqlite/enums";

type Actor = { id: string; email: string };

// The customer's standing for whoever creates the invite (Parley itself counts as staff), and
// for the person who will redeem it: an invite nobody could redeem is not made.
function assertMayInvite(status: CustomerStatus, creator: { role: Role } | null): void {
  const why =
    standingRefusal(status, creator ? askerOf(creator) : "staff") ??
    (standingRefusal(status, "invitee")
      ? "This customer is not active, so an invite would not work."
      : null);
  if (why) throw new AppError("invalid", why);
}

export function inviteLink(token: string): string {
  return `${getConfig().publicUrl}/invite/${token}`;
}

// The token is returned once, for the link; only its hash is stored.
// actor null: Parley itself (the first account invite after a sign-up is paid).
export async function createInvite(
  input: TCreateInvite,
  actor: (Actor & { role: Role }) | null,
): Promise<{ inviteId: string; token: string; link: string }> {
  const customer = await prisma.customer.findUnique({
    where: { id: input.customerId },
    select: { id: true, status: true, planId: true, plan: { select: { retentionDays: true } } },
  });
  if (!customer) throw new AppError("not_found", "That customer does not exist.");
  assertMayInvite(customer.status, actor);
  if (!customer.planId)
    throw new AppError("invalid", "This customer has no plan, so nobody can join it yet.");

  let serverId = serverChoiceOf(actor, input.serverId);
  if (input.kind === "ROOM") {
    const room = await prisma.room.findUnique({
      where: { id: input.roomId! },
      select: { customerId: true, serverId: true, status: true },
    });
    if (!room || room.customerId !== customer.id || room.status === "DELETED")
      throw new AppError("invalid", "Choose one of this customer's rooms.", {
        roomId: ["Not this customer's room"],
      });
    serverId = room.serverId;
  }
  if (input.kind === "CONTACT") {
    const account = await prisma.xmppAccount.findUnique({
      where: { id: input.accountId! },
      select: { customerId: true, serverId: true, status: true },
    });
    if (!account || account.customerId !== customer.id || account.status === "DELETED")
      throw new AppError("invalid", "Choose one of this customer's accounts.", {
        accountId: ["Not this customer's account"],
      });
    serverId = account.serverId;
  }
  const server = await pickServerFor(serverId, customer.plan?.retentionDays);
  if (input.localpart) {
    const name = { customerId: customer.id, localpart: input.localpart, domain: server.domain };
    if (!(await spendUsernameCheck(customer.id)))
      throw new AppError("rate_limited", "Too many usernames checked; wait an hour and try again.");
    if (!(await checkUsernameAvailable(prisma, name)).available) {
      throw new AppError("conflict", `${input.localpart}@${server.domain} is not available.`, {
        localpart: ["Not available"],
      });
    }
  }

  const token = newToken();
  const hours = INVITE_EXPIRIES[input.expiry];
  const invite = await prisma.$transaction(async (tx) => {
    // Under the customer's lock: a status change commits before this check or after the invite.
    assertMayInvite((await lockCustomer(tx, customer.id)).status, actor);
    const created = await tx.invite.create({
      data: {
        tokenHash: hashToken(token),
        kind: input.kind,
        customerId: customer.id,
        createdById: actor?.id ?? null,
        serverId: server.id,
        localpart: input.localpart ?? null,
        roomId: input.kind === "ROOM" ? input.roomId! : null,
        accountId: input.kind === "CONTACT" ? input.accountId! : null,
        maxUses: input.localpart ? 1 : input.maxUses,
        expiresAt: hours === null ? null : addHours(now(), hours),
        note: input.note,
        createdAt: now(),
      },
      select: { id: true },
    });
    await recordAudit(
      {
        actor,
        action: "invite.created",
        targetType: "invite",
        targetId: created.id,
        customerId: customer.id,
        details: { kind: input.kind, maxUses: input.maxUses, expiry: input.expiry },
      },
      tx,
    );
    return created;
  });
  return { inviteId: invite.id, token, link: inviteLink(token) };
}

export async function revokeInvite(inviteId: string, actor: Actor) {
  const invite = await prisma.invite.findUnique({
    where: { id: inviteId },
    select: { id: true, customerId: true, revokedAt: true },
  });
  if (!invite) throw new AppError("not_found", "That invite does not exist.");
  if (invite.revokedAt) return;
  await prisma.$transaction(async (tx) => {
    await tx.invite.update({ where: { id: invite.id }, data: { revokedAt: now() } });
    await recordAudit(
      {
        actor,
        action: "invite.revoked",
        targetType: "invite",
        targetId: invite.id,
        customerId: invite.customerId,
      },
      tx,
    );
  });
}

// A fresh link for an invite that is still open (the first was lost or sent to the wrong
// place); the old link stops working, uses and expiry stay.
export async function reissueInviteLink(inviteId: string, actor: Actor): Promise<{ link: string }> {
  const token = newToken();
  await prisma.$transaction(async (tx) => {
    const invite = await tx.invite.findUnique({
      where: { id: inviteId },
      select: {
        id: true,
        customerId: true,
        revokedAt: true,
        uses: true,
        maxUses: true,
        expiresAt: true,
      },
    });
    if (!invite) throw new AppError("not_found", "That invite does not exist.");
    if (
      invite.revokedAt ||
      invite.uses >= invite.maxUses ||
      (invite.expiresAt && invite.expiresAt <= now())
    )
      throw new AppError("invalid", "This invite is no longer open; create a new one.");
    await tx.invite.update({ where: { id: invite.id }, data: { tokenHash: hashToken(token) } });
    await recordAudit(
      {
        actor,
        action: "invite.link_reissued",
        targetType: "invite",
        targetId: invite.id,
        customerId: invite.customerId,
      },
      tx,
    );
  });
  return { link: inviteLink(token) };
}
