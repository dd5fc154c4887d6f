import "server-only";
import { prisma } from "@/core/db";
import { getConfig } from "@/core/config";
import { AppError } from "@/core/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { hashPassword } from "@/lib/auth/password";
import { issueOneTimeLink, spendOneTimeLink } from "@/lib/users/one-time-links";
import { sendEmail, smtpConfigured } from "@/lib/notifications/send-email";
import { createResetLink, emailResetLink, RESET_LINK_HOURS } from "@/lib/accounts/recovery";
import { allowAttempt } from "@/lib/rate-limit/attempts";

// Limits how often one address can be mailed, so the form cannot be used to flood an inbox.
const PER_ADDRESS = { limit: 3, windowMs: 60 * 60_000 };

// Both requests answer the same whether or not the email or address exists, and only work
// when email can actually be delivered (SMTP); otherwise the pages send people to a person.

export async function requestConsoleReset(email: string): Promise<void> {
  if (!smtpConfigured()) throw new AppError("invalid", "Password resets by email are not available here. Ask your admin or your provider's support.");
  if (!allowAttempt("console-reset", email.toLowerCase(), PER_ADDRESS.limit, PER_ADDRESS.windowMs)) return;
  const user = await prisma.user.findUnique({ where: { email: email.toLowerCase() }, select: { id: true, email: true, disabledAt: true } });
  if (!user || user.disabledAt) return;
  // Mail goes to the address on file, never to whatever spelling was typed.
  const token = await issueOneTimeLink({ purpose: "console-reset", ttlHours: 1, userId: user.id, email: user.email });
  await sendEmail({ to: user.email, subject: "Reset your Parley password", text: `Someone asked to reset the password of your Parley sign-in. If it was you, choose a new one within an hour:\n${getConfig().publicUrl}/account/reset/${token}\n\nIf not, ignore this email: nothing changes.` });
}

export async function completeConsoleReset(token: string, password: string): Promise<void> {
  const passwordHash = await hashPassword(password);
  await prisma.$transaction(async (tx) => {
    const spent = await spendOneTimeLink("console-reset", token, tx);
    if (!spent?.userId) throw new AppError("not_found", "This link has expired or was already used. Ask for a new one.");
    // A new password ends every session and lifts a lockout.
    const user = await tx.user.update({ where: { id: spent.userId }, data: { passwordHash, sessionVersion: { increment: 1 }, failedLogins: 0, lockedUntil: null }, select: { id: true, email: true, customerId: true } });
    await recordAudit({ actor: user, action: "user.password_reset_by_email", targetType: "user", targetId: user.id, customerId: user.customerId }, tx);
  });
}

// An XMPP account's user asks for a reset link; it goes only to the recovery email the
// customer recorded for that account.
export async function requestAccountReset(address: string): Promise<void> {
  if (!smtpConfigured()) throw new AppError("invalid", "Reset links by email are not available here. Ask whoever runs your account (your family or company admin) or your provider's support.");
  const [localpart, domain] = address.trim().toLowerCase().split("@");
  if (!localpart || !domain) return;
  if (!allowAttempt("account-reset", `${localpart}@${domain}`, PER_ADDRESS.limit, PER_ADDRESS.windowMs)) return;
  const account = await prisma.xmppAccount.findUnique({ where: { localpart_domain: { localpart, domain } }, select: { id: true, status: true, recoveryEmail: true } });
  if (!account?.recoveryEmail || account.status === "DELETED" || account.status === "DELETING") return;
  const { link } = await createResetLink(account.id, RESET_LINK_HOURS, "requested by the account's user", null);
  await emailResetLink(account.id, link, RESET_LINK_HOURS, account.recoveryEmail);
}
