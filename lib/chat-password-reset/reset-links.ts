import { addHours } from "date-fns";
import { prisma } from "@/core/db";
import { now } from "@/core/clock";
import { getConfig } from "@/core/config";
import { AppError } from "@/core/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { hashToken, newToken } from "@/core/tokens";
import { enqueue } from "@/lib/jobs/job-types";
import { nudgeWorker } from "@/provisioning/queue/nudge";
import { loadAccount } from "@/lib/accounts/manage-account";
import { sendEmail } from "@/lib/notifications/send-email";

// Reset links of chat (XMPP) accounts, in their own table (ResetLink): single-use links for the
// account's user to choose a new password at /reset/<token>. Staff make them (by-staff.ts) or
// the user asks for one by recovery email (by-owner.ts). Console sign-ins reset differently
// (lib/console-password-reset).

type Actor = { id: string; email: string };

export const RESET_LINK_HOURS = 24;

// Only the token's hash is stored.
// actor null: the account's user asked for it (sent to the recovery email the customer recorded).
export async function createResetLink(
  accountId: string,
  hours: number,
  reason: string,
  actor: Actor | null,
): Promise<{ link: string; resetLinkId: string }> {
  const account = await loadAccount(accountId);
  const token = newToken();
  const created = await prisma.$transaction(async (tx) => {
    const row = await tx.resetLink.create({
      data: {
        tokenHash: hashToken(token),
        accountId: account.id,
        customerId: account.customerId,
        serverId: account.serverId,
        createdById: actor?.id ?? null,
        reason,
        expiresAt: addHours(now(), hours),
        createdAt: now(),
      },
      select: { id: true },
    });
    await recordAudit(
      {
        actor,
        action: "account.reset_link_created",
        targetType: "xmppAccount",
        targetId: account.id,
        customerId: account.customerId,
        reason,
        details: { hours },
      },
      tx,
    );
    return row;
  });
  return { link: `${getConfig().publicUrl}/reset/${token}`, resetLinkId: created.id };
}

// The same wording whether staff send it or the account's user asked for it.
export async function emailResetLink(
  accountId: string,
  link: string,
  hours: number,
  to: string,
): Promise<{ queued: boolean }> {
  const { localpart, domain } = await loadAccount(accountId);
  const address = `${localpart}@${domain}`;
  return sendEmail({
    to,
    subject: `Reset the password of ${address}`,
    text: `A link to choose a new password for ${address}. It works once, within ${hours} hours:\n${link}\n\nIf you did not ask for this, ignore this email: nothing changes.`,
    linksExpireAt: addHours(now(), hours),
  });
}

export type ResetLookup =
  | { state: "valid"; address: string; expiresAt: Date }
  | { state: "malformed" | "unknown" | "expired" | "used" | "revoked" };

async function findLink(token: string) {
  if (!/^[A-Za-z0-9_-]{40,64}$/.test(token)) return { state: "malformed" } as const;
  const link = await prisma.resetLink.findUnique({
    where: { tokenHash: hashToken(token) },
    select: {
      id: true,
      accountId: true,
      customerId: true,
      serverId: true,
      expiresAt: true,
      usedAt: true,
      revokedAt: true,
      account: { select: { localpart: true, domain: true, status: true } },
    },
  });
  if (!link) return { state: "unknown" } as const;
  if (link.revokedAt) return { state: "revoked" } as const;
  if (link.usedAt) return { state: "used" } as const;
  if (link.expiresAt <= now()) return { state: "expired" } as const;
  if (link.account.status === "DELETED" || link.account.status === "DELETING")
    return { state: "unknown" } as const;
  return {
    state: "valid",
    link,
    address: `${link.account.localpart}@${link.account.domain}`,
  } as const;
}

export async function lookUpResetLink(token: string): Promise<ResetLookup> {
  const found = await findLink(token);
  if (found.state !== "valid") return { state: found.state };
  return { state: "valid", address: found.address, expiresAt: found.link.expiresAt };
}

// The reset page: spends the link with a compare-and-set (of racing uses exactly one wins) and
// queues the new password (sealed) for the server, in one transaction. No rate limit: an
// unknown token is refused by one indexed lookup and a known link works once.
export async function resetChatPasswordWithLink(
  token: string,
  password: string,
): Promise<{ address: string }> {
  const found = await findLink(token);
  if (found.state !== "valid") {
    const message =
      found.state === "used"
        ? "This link was already used."
        : found.state === "expired"
          ? "This link has expired. Ask for a new one."
          : "This link is not valid.";
    throw new AppError("not_found", message);
  }
  const { link } = found;
  await prisma.$transaction(async (tx) => {
    const spent = await tx.resetLink.updateMany({
      where: { id: link.id, usedAt: null, revokedAt: null, expiresAt: { gt: now() } },
      data: { usedAt: now() },
    });
    if (spent.count !== 1) throw new AppError("not_found", "This link was already used.");
    await enqueue(
      tx,
      "account.password",
      { accountId: link.accountId },
      {
        secret: password,
        serverId: link.serverId,
        customerId: link.customerId,
        subjectId: link.accountId,
      },
    );
    await recordAudit(
      {
        actor: null,
        action: "account.password_reset_by_link",
        targetType: "xmppAccount",
        targetId: link.accountId,
        customerId: link.customerId,
      },
      tx,
    );
  });
  nudgeWorker();
  return { address: found.address };
}
