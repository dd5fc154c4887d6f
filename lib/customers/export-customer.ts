import { prisma } from "@/core/db";
import { now } from "@/core/clock";

// Everything Parley keeps about one customer, for its own people (no secrets, no hashes).
export async function exportCustomer(customerId: string) {
  const [customer, users, accounts, rooms, invites, audit] = await Promise.all([
    prisma.customer.findUniqueOrThrow({
      where: { id: customerId },
      select: {
        id: true,
        name: true,
        kind: true,
        contactEmail: true,
        status: true,
        createdAt: true,
        plan: { select: { name: true, seats: true, rooms: true, retentionDays: true } },
      },
    }),
    prisma.user.findMany({
      where: { customerId },
      select: { name: true, email: true, createdAt: true, lastLoginAt: true },
    }),
    prisma.xmppAccount.findMany({
      where: { customerId },
      select: {
        localpart: true,
        domain: true,
        displayName: true,
        status: true,
        suspensionReasons: true,
        createdAt: true,
        deletedAt: true,
      },
    }),
    prisma.room.findMany({
      where: { customerId },
      select: {
        name: true,
        domain: true,
        title: true,
        status: true,
        config: true,
        createdAt: true,
        affiliations: { select: { jid: true, affiliation: true } },
      },
    }),
    prisma.invite.findMany({
      where: { customerId },
      select: {
        kind: true,
        localpart: true,
        maxUses: true,
        uses: true,
        expiresAt: true,
        revokedAt: true,
        note: true,
        createdAt: true,
        redemptions: { select: { usedAt: true } },
      },
    }),
    prisma.auditEvent.findMany({
      where: { customerId },
      orderBy: { at: "asc" },
      select: { at: true, actorLabel: true, action: true, targetType: true, reason: true },
    }),
  ]);
  return {
    exportedAt: now().toISOString(),
    customer,
    portalUsers: users,
    accounts,
    rooms,
    invites,
    auditEvents: audit,
  };
}
