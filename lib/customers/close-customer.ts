import { addDays } from "date-fns";
import { prisma } from "@/core/db";
import { now } from "@/core/clock";
import { getConfig } from "@/core/config";
import { AppError } from "@/core/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { nudgeWorker } from "@/provisioning/queue/nudge";
import { setCustomerReason, terminate } from "@/lib/customers/holds";
import { moveCustomer } from "@/lib/customers/move-customer";

type Actor = { id: string; email: string };

export function closeGraceDays(): number {
  return getConfig().closeGraceDays;
}

// The customer closes its service: everything is suspended at once (passwords kept) and can be
// restored during the grace period; afterwards accounts and rooms are removed from the servers.
// Each step moves the status under the customer's lock (moveCustomer), so a billing change, a
// restore and the deprovisioning that run at once cannot undo one another.
export async function closeCustomer(customerId: string, actor: Actor): Promise<Date> {
  const closingAt = addDays(now(), closeGraceDays());
  await prisma.$transaction(async (tx) => {
    const moved = await moveCustomer(tx, customerId, {
      from: ["ACTIVE", "PAST_DUE", "SUSPENDED"],
      to: "CLOSING",
      data: { closingAt },
    });
    if (!moved) throw new AppError("invalid", "This service is already closing or closed.");
    const accounts = await setCustomerReason(tx, customerId, "closing", true);
    await recordAudit(
      {
        actor,
        action: "customer.closing",
        targetType: "customer",
        targetId: customerId,
        customerId,
        details: { closingAt: closingAt.toISOString(), accounts },
      },
      tx,
    );
  });
  nudgeWorker();
  return closingAt;
}

export async function restoreCustomer(customerId: string, actor: Actor): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const moved = await moveCustomer(tx, customerId, {
      from: ["CLOSING"],
      to: "ACTIVE",
      when: (c) => !!c.closingAt && c.closingAt > now(),
      data: { closingAt: null },
    });
    if (!moved)
      throw new AppError(
        "invalid",
        "Only a closing service can be restored, before its grace period ends.",
      );
    const accounts = await setCustomerReason(tx, customerId, "closing", false);
    await recordAudit(
      {
        actor,
        action: "customer.restored",
        targetType: "customer",
        targetId: customerId,
        customerId,
        details: { accounts },
      },
      tx,
    );
  });
  nudgeWorker();
}

// Customers whose grace period is over. One restored in the meantime is left alone.
export async function deprovisionClosedCustomers(at: Date): Promise<number> {
  const due = await prisma.customer.findMany({
    where: { status: "CLOSING", closingAt: { lte: at } },
    select: { id: true },
  });
  let closed = 0;
  for (const c of due) {
    const removed = await prisma.$transaction(async (tx) => {
      const removed = await terminate(tx, c.id, {
        from: ["CLOSING"],
        to: "CLOSED",
        when: (row) => !!row.closingAt && row.closingAt <= at,
      });
      if (!removed) return null;
      await recordAudit(
        {
          actor: null,
          action: "customer.closed",
          targetType: "customer",
          targetId: c.id,
          customerId: c.id,
          reason: "grace period over",
          details: { accounts: removed.accounts, rooms: removed.rooms },
        },
        tx,
      );
      return removed;
    });
    if (removed) closed++;
  }
  if (closed) nudgeWorker();
  return closed;
}
