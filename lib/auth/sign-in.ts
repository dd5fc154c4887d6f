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

// Every password or code evaluated for a user first takes one guess from that user's budget,
// with one conditional increment in the database: parallel requests cannot all read the same
// count, so no more than MAX_FAILED_LOGINS guesses are ever evaluated before the lock, however
// many are sent at once. A locked user (or one whose budget is spent) gets no evaluation at all.
async function reserveGuess(userId: string): Promise<boolean> {
  const taken = await prisma.user.updateMany({
    where: {
      id: userId,
      failedLogins: { lt: MAX_FAILED_LOGINS },
      OR: [{ lockedUntil: null }, { lockedUntil: { lte: now() } }],
    },
    data: { failedLogins: { increment: 1 } },
  });
  return taken.count === 1;
}

// A password that was right but came without its second factor is not a failed guess.
async function releaseGuess(userId: string) {
  await prisma.user.updateMany({
    where: { id: userId, failedLogins: { gt: 0 } },
    data: { failedLogins: { decrement: 1 } },
  });
}

// A failed guess keeps its reservation; the one that finds the budget spent locks the user
// (compare-and-set, so one lock, one audit row and one notice per lockout).
async function lockIfSpent(userId: string) {
  const locked = await prisma.user.updateMany({
    where: { id: userId, failedLogins: { gte: MAX_FAILED_LOGINS } },
    data: { failedLogins: 0, lockedUntil: addMinutes(now(), LOCKOUT_MINUTES) },
  });
  if (locked.count !== 1) return;
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

// A user invited but without a password yet has a placeholder instead of an Argon2 hash;
// checking against the dummy hash keeps the work (and time) the same as for everyone else.
const hasPassword = (passwordHash: string) => passwordHash.startsWith("$argon2");

// Spends a TOTP step with a compare-and-set, so one code signs in once even when sent many
// times at once.
async function spendTotpStep(userId: string, step: number): Promise<boolean> {
  const spent = await prisma.user.updateMany({
    where: { id: userId, OR: [{ totpLastStep: null }, { totpLastStep: { lt: step } }] },
    data: { totpLastStep: step },
  });
  return spent.count === 1;
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
      sessionVersion: true,
      totpSecretEnc: true,
      totpEnabledAt: true,
      totpLastStep: true,
    },
  });
  // Exactly one Argon2 verification on every path, so the reply time says nothing about
  // whether the email exists, is invited, disabled or locked.
  if (!user || user.disabledAt || !(await reserveGuess(user.id))) {
    await verifyAgainstDummy(password);
    return { ok: false, reason: "failed" };
  }
  let passwordRight = false;
  if (hasPassword(user.passwordHash))
    passwordRight = await verifyPassword(user.passwordHash, password);
  else await verifyAgainstDummy(password);
  if (!passwordRight) {
    await lockIfSpent(user.id);
    return { ok: false, reason: "failed" };
  }

  if (user.totpEnabledAt && user.totpSecretEnc) {
    if (!code) {
      await releaseGuess(user.id);
      return { ok: false, reason: "second_factor_required" };
    }
    const step = await checkTotp(openTotpSecret(user.totpSecretEnc), code, user.totpLastStep);
    const passed =
      step !== null ? await spendTotpStep(user.id, step) : await spendRecoveryCode(user.id, code);
    if (!passed) {
      await lockIfSpent(user.id);
      return { ok: false, reason: "second_factor_failed" };
    }
    if (step === null)
      await recordAudit({
        actor: { id: user.id, email: user.email },
        action: "user.recovery_code_used",
        targetType: "user",
        targetId: user.id,
      });
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
