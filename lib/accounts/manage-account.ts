import { prisma } from "@/core/db";
import { AppError } from "@/core/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { enqueue, jobAbout } from "@/lib/jobs/job-types";
import { nudgeWorker } from "@/provisioning/queue/nudge";
import type { SuspensionReason } from "@/provisioning/suspension";
import { changeSuspensions } from "@/lib/accounts/change-suspensions";
import { generatePassword } from "@/lib/accounts/create-account";
import { assertMayChangeReason } from "@/lib/accounts/suspension-rules";
import type { Role } from "@/generated/sqlite/enums";

type Actor = { id: string; email: string };

export async function loadAccount(accountId: string) {
  const account = await prisma.xmppAccount.findUnique({
    where: { id: accountId },
    select: {
      id: true,
      customerId: true,
      serverId: true,
      localpart: true,
      domain: true,
      status: true,
      suspensionReasons: true,
    },
  });
  if (!account || account.status === "DELETED")
    throw new AppError("not_found", "That account does not exist.");
  return account;
}

// Adds or removes one suspension reason on one account (lib/accounts/change-suspensions.ts).
export async function changeSuspension(
  accountId: string,
  reason: SuspensionReason,
  suspend: boolean,
  actor: Actor & { role: Role },
  note = "",
) {
  const result = (await changeSuspensions([accountId], reason, suspend, actor, note)).get(
    accountId,
  )!;
  if ("error" in result) throw result.error;
  return { remaining: result.remaining };
}

export async function setAccountPassword(
  accountId: string,
  password: string | undefined,
  actor: Actor,
) {
  const account = await loadAccount(accountId);
  const value = password ?? generatePassword();
  await prisma.$transaction(async (tx) => {
    await enqueue(
      tx,
      "account.password",
      { accountId: account.id },
      {
        secret: value,
        serverId: account.serverId,
        customerId: account.customerId,
        subjectId: account.id,
        createdById: actor.id,
      },
    );
    await recordAudit(
      {
        actor,
        action: "account.password_set",
        targetType: "xmppAccount",
        targetId: account.id,
        customerId: account.customerId,
      },
      tx,
    );
  });
  nudgeWorker();
  return { generatedPassword: password ? undefined : value };
}

export async function deleteAccount(accountId: string, actor: Actor) {
  const account = await loadAccount(accountId);
  await prisma.$transaction(async (tx) => {
    await tx.xmppAccount.update({ where: { id: account.id }, data: { status: "DELETING" } });
    await enqueue(tx, "account.delete", { accountId: account.id }, jobAbout(account, actor));
    await recordAudit(
      {
        actor,
        action: "account.deleted",
        targetType: "xmppAccount",
        targetId: account.id,
        customerId: account.customerId,
        details: { address: `${account.localpart}@${account.domain}` },
      },
      tx,
    );
  });
  nudgeWorker();
}

export async function kickAccountSessions(accountId: string, actor: Actor) {
  const account = await loadAccount(accountId);
  await prisma.$transaction(async (tx) => {
    await enqueue(tx, "account.kick", { accountId: account.id }, jobAbout(account, actor));
    await recordAudit(
      {
        actor,
        action: "account.sessions_kicked",
        targetType: "xmppAccount",
        targetId: account.id,
        customerId: account.customerId,
      },
      tx,
    );
  });
  nudgeWorker();
}

// By hand, from the console or the portal: the caller's role limits which reasons it may add
// or lift (lib/accounts/suspension-rules.ts). changeSuspension itself applies any reason.
export async function changeSuspensionByHand(
  accountId: string,
  reason: SuspensionReason,
  suspend: boolean,
  user: Actor & { role: Role },
  note = "",
) {
  assertMayChangeReason(user, reason, suspend);
  return changeSuspension(accountId, reason, suspend, user, note);
}
