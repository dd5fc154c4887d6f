import { addHours } from "date-fns";
import { prisma } from "@/core/db";
import { now } from "@/core/clock";
import { getConfig } from "@/core/config";
import { AppError } from "@/core/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { hashPassword } from "@/lib/auth/password";
import { issueOneTimeLink, spendOneTimeLink } from "@/lib/users/one-time-links";
import { sendEmail, smtpConfigured } from "@/lib/notifications/send-email";
import { allowAttempt } from "@/lib/rate-limit/attempts";
import { enqueue } from "@/lib/jobs/job-types";
import { nudgeWorker } from "@/provisioning/queue/nudge";

// People who sign in to the Parley console or portal (staff and customers' portal users) and
// forgot that password: a one-hour link by email (/forgot, then /account/reset/<token>).
// Chat accounts reset differently (lib/chat-password-reset).

// Limits how often one address can be mailed, so the form cannot be used to flood an inbox.
const PER_ADDRESS = { limit: 3, windowMs: 60 * 60_000 };

// Answers the same whether or not the email exists, and only works when email can actually be
// delivered (SMTP); otherwise the page sends people to a person. The request does the same work
// for every address (one limit count, one queued job with the address sealed); the worker looks
// the address up and mails or drops it, so no reply time tells whether the email has a sign-in.
export async function requestConsolePasswordReset(email: string): Promise<void> {
  if (!smtpConfigured())
    throw new AppError(
      "invalid",
      "Password resets by email are not available here. Ask your admin or your provider's support.",
    );
  const typed = email.toLowerCase();
  if (!(await allowAttempt("console-reset", typed, PER_ADDRESS.limit, PER_ADDRESS.windowMs)))
    return;
  await enqueue(prisma, "console-reset.request", {}, { secret: typed, maxAttempts: 3 });
  nudgeWorker();
}

// Run by the worker for a queued request: mails a one-hour link if the email has a sign-in.
export async function sendConsoleResetLink(email: string): Promise<void> {
  const user = await prisma.user.findUnique({
    where: { email },
    select: { id: true, email: true, disabledAt: true },
  });
  if (!user || user.disabledAt) return;
  // Mail goes to the address on file, never to whatever spelling was typed.
  const token = await issueOneTimeLink({
    purpose: "console-reset",
    ttlHours: 1,
    userId: user.id,
    email: user.email,
  });
  await sendEmail({
    to: user.email,
    subject: "Reset your Parley password",
    text: `Someone asked to reset the password of your Parley sign-in. If it was you, choose a new one within an hour:\n${getConfig().publicUrl}/account/reset/${token}\n\nIf not, ignore this email: nothing changes.`,
    linksExpireAt: addHours(now(), 1),
  });
}

export async function completeConsolePasswordReset(token: string, password: string): Promise<void> {
  const passwordHash = await hashPassword(password);
  await prisma.$transaction(async (tx) => {
    const spent = await spendOneTimeLink("console-reset", token, tx);
    if (!spent?.userId)
      throw new AppError(
        "not_found",
        "This link has expired or was already used. Ask for a new one.",
      );
    // A new password ends every session and lifts a lockout.
    const user = await tx.user.update({
      where: { id: spent.userId },
      data: { passwordHash, sessionVersion: { increment: 1 }, failedLogins: 0, lockedUntil: null },
      select: { id: true, email: true, customerId: true },
    });
    await recordAudit(
      {
        actor: user,
        action: "user.password_reset_by_email",
        targetType: "user",
        targetId: user.id,
        customerId: user.customerId,
      },
      tx,
    );
  });
}
