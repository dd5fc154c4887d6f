import { prisma } from "@/core/db";
import { now } from "@/core/clock";
import { hashToken } from "@/core/tokens";
import { ZInviteToken } from "@/lib/validation/invites";
import { seatsInUse } from "@/lib/accounts/account-slot";
import { standingRefusal } from "@/lib/customers/standing";

export type InviteView = {
  id: string;
  kind: "ACCOUNT" | "ROOM" | "CONTACT";
  customerName: string;
  inviterName: string | null;
  domain: string;
  fixedLocalpart: string | null;
  room: string | null;
  contact: string | null;
  seatsLeft: number;
  expiresAt: Date | null;
};

export type InviteLookup =
  | { state: "valid"; invite: InviteView }
  | { state: "malformed" | "unknown" | "expired" | "used" | "revoked" };

// What the landing page may show about an invite; the token itself is never stored.
export async function lookUpInvite(token: string): Promise<InviteLookup> {
  if (!ZInviteToken.safeParse(token).success) return { state: "malformed" };
  const invite = await prisma.invite.findUnique({
    where: { tokenHash: hashToken(token) },
    select: {
      id: true,
      kind: true,
      localpart: true,
      roomId: true,
      accountId: true,
      serverId: true,
      maxUses: true,
      uses: true,
      expiresAt: true,
      revokedAt: true,
      createdBy: { select: { name: true } },
      customer: {
        select: { id: true, name: true, status: true, plan: { select: { seats: true } } },
      },
    },
  });
  if (!invite) return { state: "unknown" };
  if (invite.revokedAt || standingRefusal(invite.customer.status, "invitee"))
    return { state: "revoked" };
  if (invite.uses >= invite.maxUses) return { state: "used" };
  if (invite.expiresAt && invite.expiresAt <= now()) return { state: "expired" };
  const [server, room, contact, used] = await Promise.all([
    invite.serverId
      ? prisma.server.findUnique({ where: { id: invite.serverId }, select: { domain: true } })
      : null,
    invite.roomId
      ? prisma.room.findUnique({
          where: { id: invite.roomId },
          select: { name: true, domain: true, title: true },
        })
      : null,
    invite.accountId
      ? prisma.xmppAccount.findUnique({
          where: { id: invite.accountId },
          select: { localpart: true, domain: true, displayName: true },
        })
      : null,
    seatsInUse(prisma, invite.customer.id),
  ]);
  return {
    state: "valid",
    invite: {
      id: invite.id,
      kind: invite.kind,
      customerName: invite.customer.name,
      inviterName: invite.createdBy?.name ?? null,
      domain: server?.domain ?? "",
      fixedLocalpart: invite.localpart,
      room: room ? `${room.title || room.name} (${room.name}@${room.domain})` : null,
      contact: contact ? `${contact.localpart}@${contact.domain}` : null,
      seatsLeft: Math.max(0, (invite.customer.plan?.seats ?? 0) - used),
      expiresAt: invite.expiresAt,
    },
  };
}
