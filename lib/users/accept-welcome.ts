import { prisma } from "@/core/db";
import { AppError } from "@/core/errors";
import { hashPassword } from "@/lib/auth/password";
import { spendOneTimeLink } from "@/lib/users/one-time-links";
import { recordAudit } from "@/lib/audit/record-audit";

export async function acceptWelcome(token: string, input: { name: string; password: string }) {
  const passwordHash = await hashPassword(input.password);
  return prisma.$transaction(async (tx) => {
    const spent = await spendOneTimeLink("welcome", token, tx);
    if (!spent?.userId)
      throw new AppError(
        "not_found",
        "This link has expired or was already used. Ask whoever invited you for a new one.",
      );
    const user = await tx.user.update({
      where: { id: spent.userId },
      data: { name: input.name, passwordHash, failedLogins: 0, lockedUntil: null },
      select: { id: true, email: true, customerId: true },
    });
    await recordAudit(
      {
        actor: user,
        action: "user.password_set",
        targetType: "user",
        targetId: user.id,
        customerId: user.customerId,
      },
      tx,
    );
    return user;
  });
}
