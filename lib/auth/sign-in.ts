import { addMinutes } from "date-fns";
import { z } from "zod";
import { prisma } from "@/core/db";
import { now } from "@/core/clock";
import { verifyAgainstDummy, verifyPassword } from "@/lib/auth/password";
import { checkTotp, openTotpSecret, spendRecoveryCode } from "@/lib/auth/totp";
import { recordAudit } from "@/lib/audit/record-audit";
import { notifyRole } from "@/lib/notifications/notify";

export const MAX_FAILED_LOGINS = 10;
export const LOCKOUT_MINUTES = 15;

// One reply for every failure (unknown email, wrong password, locked, disabled),
// so the sign-in page never reveals whether an email has an account.
export const SIGN_IN_FAILED = `Sign-in failed. Check your email and password. After ${MAX_FAILED_LOGINS} failed attempts in a row an account is locked for ${LOCKOUT_MINUTES} minutes.`;
export const SECOND_FACTOR_REQUIRED = "SECOND_FACTOR_REQUIRED";
export const SECOND_FACTOR_FAILED =
  "That code did not work. Enter the current 6-digit code from your authenticator app, or one of your recovery codes.";

export const ZCredentials = z.object({
  email: z.string().trim().toLowerCase().email().max(254),
  password: z.string().min(1).max(1024),
  code: z.string().trim().max(64).optional().default(""),
});

export type SignInResult =
  | { ok: true; user: { id: string; email: string; name: string; sessionVersion: number } }
  | { ok: false; reason: "failed" | "second_factor_required" | "second_factor_failed" };

async function recordFailure(userId: string, failedLogins: number) {
  const failures = failedLogins + 1;
  const lock = failures >= MAX_FAILED_LOGINS;
  await prisma.user.update({
    where: { id: userId },
    data: lock
      ? { failedLogins: 0, lockedUntil: addMinutes(now(), LOCKOUT_MINUTES) }
      : { failedLogins: failures },
  });
  if (lock) {
    await recordAudit({
      actor: null,
      action: "user.locked",
      targetType: "user",
      targetId: userId,
      details: { minutes: LOCKOUT_MINUTES },
    });
    const user = await prisma.user.findUnique({ where: { id: userId }, select: { email: true } });
    await notifyRole("ADMIN", {
      title: "A sign-in was locked",
      body: `${user?.email ?? "A user"} had ${MAX_FAILED_LOGINS} failed sign-ins in a row and is locked for ${LOCKOUT_MINUTES} minutes. Unlock from Staff if it was them.`,
      link: "/console/staff",
    });
  }
}

export async function signIn(input: unknown): Promise<SignInResult> {
  const parsed = ZCredentials.safeParse(input);
  if (!parsed.success) return { ok: false, reason: "failed" };
  const { email, password, code } = parsed.data;

  const user = await prisma.user.findUnique({
    where: { email },
    select: {
      id: true,
      email: true,
      name: true,
      passwordHash: true,
      disabledAt: true,
      lockedUntil: true,
      failedLogins: true,
      sessionVersion: true,
      totpSecretEnc: true,
      totpEnabledAt: true,
      totpLastStep: true,
    },
  });
  if (!user) {
    await verifyAgainstDummy(password);
    return { ok: false, reason: "failed" };
  }
  if (user.lockedUntil && user.lockedUntil > now()) {
    await verifyAgainstDummy(password);
    return { ok: false, reason: "failed" };
  }
  if (!(await verifyPassword(user.passwordHash, password)) || user.disabledAt) {
    if (!user.disabledAt) await recordFailure(user.id, user.failedLogins);
    return { ok: false, reason: "failed" };
  }

  if (user.totpEnabledAt && user.totpSecretEnc) {
    if (!code) return { ok: false, reason: "second_factor_required" };
    const step = await checkTotp(openTotpSecret(user.totpSecretEnc), code, user.totpLastStep);
    if (step !== null) {
      await prisma.user.update({ where: { id: user.id }, data: { totpLastStep: step } });
    } else if (await spendRecoveryCode(user.id, code)) {
      await recordAudit({
        actor: { id: user.id, email: user.email },
        action: "user.recovery_code_used",
        targetType: "user",
        targetId: user.id,
      });
    } else {
      await recordFailure(user.id, user.failedLogins);
      return { ok: false, reason: "second_factor_failed" };
    }
  }

  await prisma.user.update({
    where: { id: user.id },
    data: { failedLogins: 0, lockedUntil: null, lastLoginAt: now() },
  });
  return {
    ok: true,
    user: { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion },
  };
}
