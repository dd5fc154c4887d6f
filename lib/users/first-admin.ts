import { prisma } from "@/core/db";
import { now } from "@/core/clock";
import { spendOneTimeLink } from "@/lib/users/one-time-links";
import { hashPassword } from "@/lib/auth/password";
import { recordAudit } from "@/lib/audit/record-audit";
import { AppError } from "@/core/errors";
import { setStaffTwoFactorRequired } from "@/lib/settings/install-settings";

export async function createFirstAdmin(
  token: string,
  input: { name: string; email: string; password: string; requireStaffTwoFactor?: boolean },
) {
  const passwordHash = await hashPassword(input.password);
  return prisma.$transaction(async (tx) => {
    const spent = await spendOneTimeLink("first-admin", token, tx);
    if (!spent)
      throw new AppError(
        "not_found",
        "This setup link has expired or was already used. Restart Parley to print a new one.",
      );
    if ((await tx.user.count({ where: { role: "ADMIN" } })) > 0) {
      throw new AppError("conflict", "An admin already exists. Sign in instead.");
    }
    const user = await tx.user.create({
      data: { email: input.email, name: input.name, passwordHash, role: "ADMIN", createdAt: now() },
      select: { id: true, email: true },
    });
    await recordAudit(
      { actor: user, action: "user.first_admin_created", targetType: "user", targetId: user.id },
      tx,
    );
    // A new install requires staff two-factor unless its first admin chose otherwise.
    await setStaffTwoFactorRequired(input.requireStaffTwoFactor ?? true, user, tx);
    return user;
  });
}
