import { prisma, type DB } from "@/core/db";
import { AppError } from "@/core/errors";
import { now } from "@/core/clock";
import { enqueueMany, jobAbout } from "@/lib/jobs/job-types";
import { nudgeWorker } from "@/provisioning/queue/nudge";
import {
  parseReasons,
  withReason,
  withoutReason,
  type SuspensionReason,
} from "@/provisioning/suspension";
import { lockCustomer } from "@/lib/accounts/account-slot";
import { askerOf, standingRefusal } from "@/lib/customers/standing";
import type { Role } from "@/generated/sqlite/enums";

// Adds or removes one suspension reason on many accounts in one transaction; the server
// follows each account's whole set. Lifting a reason brings an account back, so its customer's
// standing must admit it (lib/customers/standing.ts). Each customer's row is locked before its
// accounts' sets are read, as holds change them too (lib/customers/holds.ts): a hold and a
// change by hand that run at once both end up in the set. The single-account path and bulk
// operations both come through here.

type Actor = { id: string; email: string; role: Role };
export type SuspensionResult = { remaining: SuspensionReason[] } | { error: AppError };

const missing = () => new AppError("not_found", "That account does not exist.");
const deleting = () => new AppError("invalid", "This account is being deleted.");

async function changeForCustomer(
  tx: Pick<DB, "customer" | "xmppAccount" | "job" | "auditEvent">,
  customerId: string,
  ids: string[],
  change: { reason: SuspensionReason; suspend: boolean; actor: Actor; note: string },
  results: Map<string, SuspensionResult>,
) {
  const customer = await lockCustomer(tx, customerId);
  const refusal = change.suspend ? null : standingRefusal(customer.status, askerOf(change.actor));
  if (refusal) {
    for (const id of ids) results.set(id, { error: new AppError("invalid", refusal) });
    return;
  }
  const accounts = await tx.xmppAccount.findMany({
    where: { id: { in: ids } },
    select: { id: true, serverId: true, status: true, suspensionReasons: true },
  });
  const byNext = new Map<string, string[]>();
  const changed: typeof accounts = [];
  for (const a of accounts) {
    if (a.status === "DELETING" || a.status === "DELETED") {
      results.set(a.id, { error: deleting() });
      continue;
    }
    const next = change.suspend
      ? withReason(a.suspensionReasons, change.reason)
      : withoutReason(a.suspensionReasons, change.reason);
    results.set(a.id, { remaining: parseReasons(next) });
    if (next === a.suspensionReasons) continue;
    byNext.set(next, [...(byNext.get(next) ?? []), a.id]);
    changed.push(a);
  }
  for (const [next, changedIds] of byNext)
    await tx.xmppAccount.updateMany({
      where: { id: { in: changedIds } },
      data: { suspensionReasons: next },
    });
  await enqueueMany(
    tx,
    "account.suspension",
    changed.map((a) => ({
      payload: { accountId: a.id },
      options: jobAbout({ ...a, customerId }, change.actor),
    })),
  );
  await tx.auditEvent.createMany({
    data: accounts
      .filter((a) => "remaining" in (results.get(a.id) ?? {}))
      .map((a) => ({
        at: now(),
        actorId: change.actor.id,
        actorLabel: change.actor.email,
        action: change.suspend ? "account.suspended" : "account.unsuspend_requested",
        targetType: "xmppAccount",
        targetId: a.id,
        customerId,
        reason: change.note || null,
        details: {
          reason: change.reason,
          remaining: (results.get(a.id) as { remaining: SuspensionReason[] }).remaining,
        },
      })),
  });
}

export async function changeSuspensions(
  accountIds: string[],
  reason: SuspensionReason,
  suspend: boolean,
  actor: Actor,
  note = "",
): Promise<Map<string, SuspensionResult>> {
  const results = new Map<string, SuspensionResult>();
  const rows = await prisma.xmppAccount.findMany({
    where: { id: { in: accountIds } },
    select: { id: true, customerId: true, status: true },
  });
  const byCustomer = new Map<string, string[]>();
  for (const row of rows) {
    if (row.status === "DELETED") continue;
    byCustomer.set(row.customerId, [...(byCustomer.get(row.customerId) ?? []), row.id]);
  }
  // Customers locked in one order, so two batches never wait on each other in a circle.
  const customers = [...byCustomer.keys()].sort();
  await prisma.$transaction(async (tx) => {
    for (const customerId of customers)
      await changeForCustomer(
        tx,
        customerId,
        byCustomer.get(customerId)!,
        { reason, suspend, actor, note },
        results,
      );
  });
  for (const id of accountIds) if (!results.has(id)) results.set(id, { error: missing() });
  nudgeWorker();
  return results;
}
