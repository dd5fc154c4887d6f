import { prisma } from "@/core/db";
import { now } from "@/core/clock";
import { issueOneTimeLink } from "@/lib/users/one-time-links";

export const FIRST_ADMIN_LINK_HOURS = 2;

export async function adminExists(): Promise<boolean> {
  return (await prisma.user.count({ where: { role: "ADMIN" } })) > 0;
}

// Called at every start while no admin exists: earlier links are retired and a fresh one issued.
export async function issueFirstAdminLink(): Promise<string | null> {
  if (await adminExists()) return null;
  return prisma.$transaction(async (tx) => {
    await tx.setupToken.updateMany({
      where: { purpose: "first-admin", usedAt: null },
      data: { expiresAt: now() },
    });
    return issueOneTimeLink({ purpose: "first-admin", ttlHours: FIRST_ADMIN_LINK_HOURS }, tx);
  });
}
