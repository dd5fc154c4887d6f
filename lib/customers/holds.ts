import type { DB } from "@/core/db";
import type { SqlRunner } from "@/core/sql";
import { now } from "@/core/clock";
import { enqueue } from "@/lib/jobs/job-types";
import { withReason, withoutReason } from "@/provisioning/suspension";
import type { CustomerStatus } from "@/generated/sqlite/enums";
import { lockCustomer, type LockedCustomer } from "@/lib/accounts/account-slot";
import { moveCustomer, type Move } from "@/lib/customers/move-customer";

// What billing and a customer's own closing do to all of its accounts and rooms at once. Both
// take the customer's row lock before reading its accounts, as every addition does
// (lib/customers/standing.ts): an account added concurrently is either seen here or sees the
// new status (and starts with the hold's reasons), never neither.

// The accounts a customer-wide hold applies to.
const HELD = ["PENDING", "ACTIVE", "SUSPENDED"] as const;

const nextReasons = (current: string, reason: "billing" | "closing", suspend: boolean) =>
  suspend ? withReason(current, reason) : withoutReason(current, reason);

// Whether setting the hold would change any account (driver-level read, e.g. inside a
// transaction of lib/billing/lifecycle.ts, after its statement took the customer's row lock).
export async function holdWouldChange(
  run: SqlRunner,
  customerId: string,
  reason: "billing" | "closing",
  suspend: boolean,
): Promise<boolean> {
  const rows = await run.query<{ suspensionReasons: string }>(
    `SELECT "suspensionReasons" FROM "XmppAccount"
    WHERE "customerId" = $1 AND "status" IN (${HELD.map((s) => `'${s}'`).join(", ")})`,
    [customerId],
    true,
  );
  return rows.some(
    (a) => nextReasons(a.suspensionReasons, reason, suspend) !== a.suspensionReasons,
  );
}

// Adds or removes one suspension reason on every live account of the customer. A caller that
// already holds the customer's lock in this transaction passes the locked row instead of the id.
export async function setCustomerReason(
  tx: Pick<DB, "xmppAccount" | "job" | "customer">,
  target: string | LockedCustomer,
  reason: "billing" | "closing",
  suspend: boolean,
): Promise<number> {
  const customerId = typeof target === "string" ? (await lockCustomer(tx, target)).id : target.id;
  const accounts = await tx.xmppAccount.findMany({
    where: { customerId, status: { in: [...HELD] } },
    select: { id: true, serverId: true, suspensionReasons: true },
  });
  let changed = 0;
  for (const a of accounts) {
    const next = nextReasons(a.suspensionReasons, reason, suspend);
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

// Removes every account and room from the servers (usernames are tombstoned by the jobs) and
// ends the customer, if its status still allows the move; null (and nothing removed) otherwise.
export async function terminate(
  tx: Pick<DB, "xmppAccount" | "room" | "job" | "customer">,
  target: string | LockedCustomer,
  move: Omit<Move, "to" | "data"> & { to: "TERMINATED" | "CLOSED" },
): Promise<{ from: CustomerStatus; accounts: number; rooms: number } | null> {
  const before = await moveCustomer(tx, target, { ...move, data: { terminatedAt: now() } });
  if (!before) return null;
  const customerId = before.id;
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
  return { from: before.status, accounts: accounts.length, rooms: rooms.length };
}
