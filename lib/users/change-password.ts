import { prisma } from "@/core/db";
import { AppError } from "@/core/errors";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { recordAudit } from "@/lib/audit/record-audit";

// Ends every session, this one included: the user signs in again with the new password.
export async function changeOwnPassword(
  actor: { id: string; email: string },
  current: string,
  next: string,
) {
  const user = await prisma.user.findUniqueOrThrow({
    where: { id: actor.id },
    select: { passwordHash: true, customerId: true },
  });
  if (!(await verifyPassword(user.passwordHash, current))) {
    throw new AppError("invalid", "Your current password is not correct.", {
      current: ["Not correct"],
    });
  }
  const passwordHash = await hashPassword(next);
  await prisma.$transaction(async (tx) => {
    await tx.user.update({
      where: { id: actor.id },
      data: { passwordHash, sessionVersion: { increment: 1 } },
    });
    await recordAudit(
      {
        actor,
        action: "user.password_changed",
        targetType: "user",
        targetId: actor.id,
        customerId: user.customerId,
      },
      tx,
    );
  });
}
