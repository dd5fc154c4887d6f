import "server-only";
import { addHours } from "date-fns";
import { prisma } from "@/core/db";
import { now } from "@/core/clock";
import { getConfig } from "@/core/config";
import { AppError } from "@/core/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { hashToken, newToken } from "@/core/tokens";
import { enqueue } from "@/lib/jobs/job-types";
import { encryptionKey } from "@/core/secrets";
import { nudgeWorker } from "@/provisioning/queue/nudge";
import { loadAccount } from "@/lib/accounts/manage-account";
import { generatePassword } from "@/lib/accounts/create-account";
import { sendEmail } from "@/lib/notifications/send-email";

type Actor = { id: string; email: string };

export const RESET_LINK_HOURS = 24;

// A single-use link for the account's user to choose a new password; only its hash is stored.
// actor null: the account's user asked for it (sent to the recovery email the customer recorded).
export async function createResetLink(accountId: string, hours: number, reason: string, actor: Actor | null): Promise<{ link: string; inviteId: string }> {
  const account = await loadAccount(accountId);
  const token = newToken();
  const invite = await prisma.$transaction(async (tx) => {
    const created = await tx.invite.create({
      data: { tokenHash: hashToken(token), kind: "PASSWORD_RESET", customerId: account.customerId, createdById: actor?.id ?? null, serverId: account.serverId, accountId: account.id, maxUses: 1, expiresAt: addHours(now(), hours), note: reason, createdAt: now() },
      select: { id: true },
    });
    await recordAudit({ actor, action: "account.reset_link_created", targetType: "xmppAccount", targetId: account.id, customerId: account.customerId, reason, details: { hours } }, tx);
    return created;
  });
  return { link: `${getConfig().publicUrl}/reset/${token}`, inviteId: invite.id };
}

// The same wording whether staff send it or the account's user asked for it.
export async function emailResetLink(accountId: string, link: string, hours: number, to: string): Promise<{ queued: boolean }> {
  const { localpart, domain } = await loadAccount(accountId);
  const address = `${localpart}@${domain}`;
  return sendEmail({ to, subject: `Reset the password of ${address}`, text: `A link to choose a new password for ${address}. It works once, within ${hours} hours:\n${link}\n\nIf you did not ask for this, ignore this email: nothing changes.` });
}

export type ResetLookup = { state: "valid"; address: string; expiresAt: Date | null } | { state: "malformed" | "unknown" | "expired" | "used" | "revoked" };

export async function lookUpResetLink(token: string): Promise<ResetLookup> {
  if (!/^[A-Za-z0-9_-]{40,64}$/.test(token)) return { state: "malformed" };
  const invite = await prisma.invite.findUnique({ where: { tokenHash: hashToken(token) }, select: { kind: true, accountId: true, uses: true, maxUses: true, expiresAt: true, revokedAt: true } });
  if (!invite || invite.kind !== "PASSWORD_RESET" || !invite.accountId) return { state: "unknown" };
  if (invite.revokedAt) return { state: "revoked" };
  if (invite.uses >= invite.maxUses) return { state: "used" };
  if (invite.expiresAt && invite.expiresAt <= now()) return { state: "expired" };
  const account = await prisma.xmppAccount.findUnique({ where: { id: invite.accountId }, select: { localpart: true, domain: true, status: true } });
  if (!account || account.status === "DELETED" || account.status === "DELETING") return { state: "unknown" };
  return { state: "valid", address: `${account.localpart}@${account.domain}`, expiresAt: invite.expiresAt };
}

// The reset page: spends the link atomically and queues the new password (sealed) for the server.
export async function resetWithLink(token: string, password: string): Promise<{ address: string }> {
  const lookup = await lookUpResetLink(token);
  if (lookup.state !== "valid") throw new AppError("not_found", lookup.state === "used" ? "This link was already used." : lookup.state === "expired" ? "This link has expired. Ask for a new one." : "This link is not valid.");
  const invite = await prisma.invite.findUniqueOrThrow({ where: { tokenHash: hashToken(token) }, select: { id: true, accountId: true, customerId: true, serverId: true } });
  await prisma.$transaction(async (tx) => {
    const spent = await tx.invite.updateMany({ where: { id: invite.id, uses: 0, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now() } }] }, data: { uses: { increment: 1 } } });
    if (spent.count !== 1) throw new AppError("not_found", "This link was already used.");
    await tx.inviteUse.create({ data: { inviteId: invite.id, accountId: invite.accountId, receiptHash: hashToken(newToken()), usedAt: now() } });
    await enqueue(tx, "account.password", { accountId: invite.accountId! }, { secret: password, serverId: invite.serverId, customerId: invite.customerId, subjectId: invite.accountId });
    await recordAudit({ actor: null, action: "account.password_reset_by_link", targetType: "xmppAccount", targetId: invite.accountId, customerId: invite.customerId }, tx);
  });
  nudgeWorker();
  return { address: lookup.address };
}

// A temporary password that stops working after `hours`: a later job replaces it with a random
// one if nobody changed it in the meantime.
export async function setTemporaryPassword(accountId: string, hours: number, reason: string, actor: Actor): Promise<{ password: string; expiresAt: Date }> {
  const account = await loadAccount(accountId);
  const password = generatePassword();
  const expiresAt = addHours(now(), hours);
  await prisma.$transaction(async (tx) => {
    const common = { serverId: account.serverId, customerId: account.customerId, subjectId: account.id, createdById: actor.id };
    await enqueue(tx, "account.password", { accountId: account.id }, { secret: password, ...common });
    await enqueue(tx, "account.expire-temporary-password", { accountId: account.id }, { secret: password, runAt: expiresAt, ...common });
    await recordAudit({ actor, action: "account.temporary_password_set", targetType: "xmppAccount", targetId: account.id, customerId: account.customerId, reason, details: { hours, expiresAt: expiresAt.toISOString() } }, tx);
  });
  nudgeWorker();
  return { password, expiresAt };
}
