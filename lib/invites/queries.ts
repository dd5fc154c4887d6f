import { prisma } from "@/core/db";
import { now } from "@/core/clock";

// Reads of invites (the links people register, join rooms or add contacts with).

export const INVITE_STATUSES = ["active", "used", "expired", "revoked"] as const;
export type InviteStatus = (typeof INVITE_STATUSES)[number];

export function inviteStatus(
  i: { uses: number; maxUses: number; expiresAt: Date | null; revokedAt: Date | null },
  at = now(),
): InviteStatus {
  if (i.revokedAt) return "revoked";
  if (i.uses >= i.maxUses) return "used";
  if (i.expiresAt && i.expiresAt <= at) return "expired";
  return "active";
}

export async function listInvites(filter: { customerId?: string; status?: InviteStatus }) {
  const at = now();
  const statusWhere = {
    active: { revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: at } }] },
    used: { revokedAt: null },
    expired: { revokedAt: null, expiresAt: { lte: at } },
    revoked: { revokedAt: { not: null } },
  } as const;
  const rows = await prisma.invite.findMany({
    where: {
      ...(filter.customerId ? { customerId: filter.customerId } : {}),
      ...(filter.status ? statusWhere[filter.status] : {}),
    },
    orderBy: { createdAt: "desc" },
    take: 200,
    select: {
      id: true,
      kind: true,
      localpart: true,
      maxUses: true,
      uses: true,
      expiresAt: true,
      revokedAt: true,
      note: true,
      createdAt: true,
      roomId: true,
      accountId: true,
      customer: { select: { id: true, name: true } },
      createdBy: { select: { name: true, email: true } },
      redemptions: { orderBy: { usedAt: "asc" }, select: { usedAt: true, accountId: true } },
    },
  });
  const accountIds = rows
    .flatMap((r) => r.redemptions.map((u) => u.accountId))
    .filter((id): id is string => Boolean(id));
  const accounts = await prisma.xmppAccount.findMany({
    where: { id: { in: accountIds } },
    select: { id: true, localpart: true, domain: true },
  });
  const address = new Map(accounts.map((a) => [a.id, `${a.localpart}@${a.domain}`]));
  // "used" and "active" differ by a column comparison Prisma cannot express; finish in memory.
  return rows
    .map((r) => ({
      ...r,
      status: inviteStatus(r, at),
      joined: r.redemptions.map((u) => ({
        at: u.usedAt,
        address: u.accountId ? (address.get(u.accountId) ?? "(deleted)") : "(deleted)",
      })),
    }))
    .filter((r) => !filter.status || r.status === filter.status);
}

export type InviteListItem = Awaited<ReturnType<typeof listInvites>>[number];
