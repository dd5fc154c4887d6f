import { prisma } from "@/core/db";
import { now } from "@/core/clock";

// Reads of console and portal users. Never password hashes or second-factor secrets.

// Admins and support staff, oldest first.
export function listStaff() {
  return prisma.user.findMany({
    where: { role: { in: ["ADMIN", "SUPPORT"] } },
    orderBy: { createdAt: "asc" },
    select: {
      id: true,
      name: true,
      email: true,
      role: true,
      disabledAt: true,
      lockedUntil: true,
      totpEnabledAt: true,
      lastLoginAt: true,
    },
  });
}

// Portal users locked out by failed sign-ins right now.
export function listLockedPortalUsers() {
  return prisma.user.findMany({
    where: { role: "CUSTOMER", lockedUntil: { gt: now() } },
    select: {
      id: true,
      name: true,
      email: true,
      lockedUntil: true,
      customer: { select: { name: true } },
    },
  });
}

// The portal users of one customer, oldest first.
export function listCustomerUsers(customerId: string) {
  return prisma.user.findMany({
    where: { customerId },
    orderBy: { createdAt: "asc" },
    select: { id: true, name: true, email: true, lastLoginAt: true },
  });
}

// How many of a user's recovery codes are still unused.
export function remainingRecoveryCodes(userId: string): Promise<number> {
  return prisma.recoveryCode.count({ where: { userId, usedAt: null } });
}
