import { prisma } from "@/core/db";
import { AppError } from "@/core/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { enqueue, jobAbout } from "@/lib/jobs/job-types";
import { nudgeWorker } from "@/provisioning/queue/nudge";
import {
  parseReasons,
  withReason,
  withoutReason,
  type SuspensionReason,
} from "@/provisioning/suspension";
import { generatePassword } from "@/lib/accounts/create-account";
import { assertMayChangeReason } from "@/lib/accounts/suspension-rules";
import { lockCustomer } from "@/lib/accounts/account-slot";
import { askerOf, assertStanding } from "@/lib/customers/standing";
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

// Adds or removes one suspension reason; the server follows the whole set. Lifting one brings an
// account back, so the customer's standing must admit it (lib/customers/standing.ts). The set is
// read and written under the customer's row lock, as holds change it (lib/customers/holds.ts):
// a hold and a change by hand that run at once both end up in the set.
export async function changeSuspension(
  accountId: string,
  reason: SuspensionReason,
  suspend: boolean,
  actor: Actor & { role: Role },
  note = "",
) {
  const account = await loadAccount(accountId);
  const remaining = await prisma.$transaction(async (tx) => {
    const customer = await lockCustomer(tx, account.customerId);
    if (!suspend) assertStanding(customer.status, askerOf(actor));
    const current = await tx.xmppAccount.findUniqueOrThrow({
      where: { id: account.id },
      select: { status: true, suspensionReasons: true },
    });
    if (current.status === "DELETING" || current.status === "DELETED")
      throw new AppError("invalid", "This account is being deleted.");
    const next = suspend
      ? withReason(current.suspensionReasons, reason)
      : withoutReason(current.suspensionReasons, reason);
    const changed = next !== current.suspensionReasons;
    if (changed) {
      await tx.xmppAccount.update({ where: { id: account.id }, data: { suspensionReasons: next } });
      await enqueue(tx, "account.suspension", { accountId: account.id }, jobAbout(account, actor));
    }
    const remaining = parseReasons(next);
    await recordAudit(
      {
        actor,
        action: suspend ? "account.suspended" : "account.unsuspend_requested",
        targetType: "xmppAccount",
        targetId: account.id,
        customerId: account.customerId,
        reason: note || null,
        details: { reason, remaining },
      },
      tx,
    );
    return remaining;
  });
  nudgeWorker();
  return { remaining };
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
