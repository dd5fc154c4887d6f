import type { DB } from "@/core/db";
import { now } from "@/core/clock";
import { enqueue } from "@/lib/jobs/job-types";
import { withReason, withoutReason } from "@/provisioning/suspension";
import { lockCustomer } from "@/lib/accounts/account-slot";

// What billing and a customer's own closing do to all of its accounts and rooms at once. Both
// take the customer's row lock before reading its accounts, as every addition does
// (lib/customers/standing.ts): an account added concurrently is either seen here or sees the
// new status (and starts with the hold's reasons), never neither.

// Adds or removes one suspension reason on every live account of the customer.
export async function setCustomerReason(
  tx: Pick<DB, "xmppAccount" | "job" | "customer">,
  customerId: string,
  reason: "billing" | "closing",
  suspend: boolean,
): Promise<number> {
  await lockCustomer(tx, customerId);
  const accounts = await tx.xmppAccount.findMany({
    where: { customerId, status: { in: ["PENDING", "ACTIVE", "SUSPENDED"] } },
    select: { id: true, serverId: true, suspensionReasons: true },
  });
  let changed = 0;
  for (const a of accounts) {
    const next = suspend
      ? withReason(a.suspensionReasons, reason)
      : withoutReason(a.suspensionReasons, reason);
    if (next === a.suspensionReasons) continue;
    await tx.xmppAccount.update({ where: { id: a.id }, data: { suspensionReasons: next } });
    await enqueue(
      tx,
      "account.suspension",
      { accountId: a.id },
      { serverId: a.serverId, customerId, subjectId: a.id },
    );
    changed++;
  }
  return changed;
}

// Removes every account and room from the servers (usernames are tombstoned by the jobs).
export async function terminate(
  tx: Pick<DB, "xmppAccount" | "room" | "job" | "customer">,
  customerId: string,
  finalStatus: "TERMINATED" | "CLOSED" = "TERMINATED",
): Promise<{ accounts: number; rooms: number }> {
  await lockCustomer(tx, customerId);
  const accounts = await tx.xmppAccount.findMany({
    where: { customerId, status: { notIn: ["DELETED", "DELETING"] } },
    select: { id: true, serverId: true },
  });
  for (const a of accounts) {
    await tx.xmppAccount.update({ where: { id: a.id }, data: { status: "DELETING" } });
    await enqueue(
      tx,
      "account.delete",
      { accountId: a.id },
      { serverId: a.serverId, customerId, subjectId: a.id },
    );
  }
  const rooms = await tx.room.findMany({
    where: { customerId, status: { notIn: ["DELETED", "DELETING"] } },
    select: { id: true, serverId: true },
  });
  for (const r of rooms) {
    await tx.room.update({ where: { id: r.id }, data: { status: "DELETING" } });
    await enqueue(
      tx,
      "room.destroy",
      { roomId: r.id },
      { serverId: r.serverId, customerId, subjectId: r.id },
    );
  }
  await tx.customer.update({
    where: { id: customerId },
    data: { status: finalStatus, terminatedAt: now() },
  });
  return { accounts: accounts.length, rooms: rooms.length };
}
