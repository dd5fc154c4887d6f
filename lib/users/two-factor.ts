import { prisma } from "@/core/db";
import { now } from "@/core/clock";
import { AppError } from "@/core/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { verifyPassword } from "@/lib/auth/password";
import {
  checkTotp,
  hashRecoveryCode,
  newRecoveryCodes,
  newTotpSecret,
  openTotpSecret,
  sealTotpSecret,
} from "@/lib/auth/totp";

type Actor = { id: string; email: string };

// A pending secret is stored sealed with totpEnabledAt unset until a code confirms it.
export async function startTwoFactorEnrollment(actor: Actor): Promise<string> {
  const user = await prisma.user.findUniqueOrThrow({
    where: { id: actor.id },
    select: { totpEnabledAt: true },
  });
  if (user.totpEnabledAt) throw new AppError("conflict", "Two-factor sign-in is already on.");
  const secret = newTotpSecret();
  await prisma.$transaction(async (tx) => {
    await tx.user.update({
      where: { id: actor.id },
      data: { totpSecretEnc: sealTotpSecret(secret) },
    });
    await recordAudit(
      {
        actor,
        action: "user.two_factor_enrolment_started",
        targetType: "user",
        targetId: actor.id,
      },
      tx,
    );
  });
  return secret;
}

export async function pendingTwoFactorSecret(userId: string): Promise<string | null> {
  const user = await prisma.user.findUniqueOrThrow({
    where: { id: userId },
    select: { totpSecretEnc: true, totpEnabledAt: true },
  });
  return !user.totpEnabledAt && user.totpSecretEnc ? openTotpSecret(user.totpSecretEnc) : null;
}

async function replaceRecoveryCodes(
  userId: string,
  tx: Pick<typeof prisma, "recoveryCode">,
): Promise<string[]> {
  const codes = newRecoveryCodes();
  await tx.recoveryCode.deleteMany({ where: { userId } });
  await tx.recoveryCode.createMany({
    data: codes.map((c) => ({ userId, codeHash: hashRecoveryCode(c), createdAt: now() })),
  });
  return codes;
}

// Returns the recovery codes: the only time they are shown in plain text.
export async function confirmTwoFactorEnrollment(actor: Actor, code: string): Promise<string[]> {
  const secret = await pendingTwoFactorSecret(actor.id);
  if (!secret)
    throw new AppError("invalid", "Start the set-up again: no pending authenticator was found.");
  const step = await checkTotp(secret, code);
  if (step === null)
    throw new AppError(
      "invalid",
      "That code did not match. Check the time on your phone and enter the current 6-digit code.",
      { code: ["Code did not match"] },
    );
  return prisma.$transaction(async (tx) => {
    await tx.user.update({
      where: { id: actor.id },
      data: { totpEnabledAt: now(), totpLastStep: step },
    });
    const codes = await replaceRecoveryCodes(actor.id, tx);
    await recordAudit(
      { actor, action: "user.two_factor_enabled", targetType: "user", targetId: actor.id },
      tx,
    );
    return codes;
  });
}

export async function regenerateRecoveryCodes(actor: Actor, password: string): Promise<string[]> {
  const user = await prisma.user.findUniqueOrThrow({
    where: { id: actor.id },
    select: { passwordHash: true, totpEnabledAt: true },
  });
  if (!user.totpEnabledAt) throw new AppError("invalid", "Turn on two-factor sign-in first.");
  if (!(await verifyPassword(user.passwordHash, password)))
    throw new AppError("invalid", "Your current password is not correct.", {
      password: ["Not correct"],
    });
  return prisma.$transaction(async (tx) => {
    const codes = await replaceRecoveryCodes(actor.id, tx);
    await recordAudit(
      { actor, action: "user.recovery_codes_regenerated", targetType: "user", targetId: actor.id },
      tx,
    );
    return codes;
  });
}

// An admin resets a staff member's second factor (lost phone); they are prompted to enrol again.
export async function resetTwoFactor(userId: string, actor: Actor) {
  const user = await prisma.user.findUnique({
    where: { id: userId },
    select: { id: true, customerId: true },
  });
  if (!user) throw new AppError("not_found", "That user does not exist.");
  await prisma.$transaction(async (tx) => {
    await tx.user.update({
      where: { id: userId },
      data: {
        totpSecretEnc: null,
        totpEnabledAt: null,
        totpLastStep: null,
        sessionVersion: { increment: 1 },
      },
    });
    await tx.recoveryCode.deleteMany({ where: { userId } });
    await recordAudit(
      {
        actor,
        action: "user.two_factor_reset",
        targetType: "user",
        targetId: userId,
        customerId: user.customerId,
      },
      tx,
    );
  });
}
