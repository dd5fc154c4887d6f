import { addHours } from "date-fns";
import { prisma } from "@/core/db";
import { now } from "@/core/clock";
import { AppError } from "@/core/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { enqueue, jobAbout } from "@/lib/jobs/job-types";
import { nudgeWorker } from "@/provisioning/queue/nudge";
import { loadAccount } from "@/lib/accounts/manage-account";
import { generatePassword } from "@/lib/accounts/create-account";

// Staff help a chat account's user back in: a reset link (createResetLink in reset-links.ts,
// with the staff member as actor), the open links listed and withdrawn on the account's page,
// or a temporary password.

type Actor = { id: string; email: string };

// Links that still work: not used, not withdrawn, not expired.
export async function withdrawResetLink(
  resetLinkId: string,
  actor: Actor,
): Promise<{ accountId: string }> {
  const link = await prisma.resetLink.findUnique({
    where: { id: resetLinkId },
    select: { id: true, accountId: true, customerId: true, revokedAt: true },
  });
  if (!link) throw new AppError("not_found", "That reset link does not exist.");
  if (link.revokedAt) return { accountId: link.accountId };
  await prisma.$transaction(async (tx) => {
    await tx.resetLink.update({ where: { id: link.id }, data: { revokedAt: now() } });
    await recordAudit(
      {
        actor,
        action: "account.reset_link_withdrawn",
        targetType: "xmppAccount",
        targetId: link.accountId,
        customerId: link.customerId,
        details: { resetLinkId: link.id },
      },
      tx,
    );
  });
  return { accountId: link.accountId };
}

// A temporary password that stops working after `hours`: a later job replaces it with a random
// one if nobody changed it in the meantime.
export async function setTemporaryPassword(
  accountId: string,
  hours: number,
  reason: string,
  actor: Actor,
): Promise<{ password: string; expiresAt: Date }> {
  const account = await loadAccount(accountId);
  const password = generatePassword();
  const expiresAt = addHours(now(), hours);
  await prisma.$transaction(async (tx) => {
    const common = jobAbout(account, actor);
    await enqueue(
      tx,
      "account.password",
      { accountId: account.id },
      { secret: password, ...common },
    );
    await enqueue(
      tx,
      "account.expire-temporary-password",
      { accountId: account.id },
      { secret: password, runAt: expiresAt, ...common },
    );
    await recordAudit(
      {
        actor,
        action: "account.temporary_password_set",
        targetType: "xmppAccount",
        targetId: account.id,
        customerId: account.customerId,
        reason,
        details: { hours, expiresAt: expiresAt.toISOString() },
      },
      tx,
    );
  });
  nudgeWorker();
  return { password, expiresAt };
}
