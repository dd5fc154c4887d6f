import { addDays } from "date-fns";
import { prisma } from "@/core/db";
import { now } from "@/core/clock";
import { getConfig } from "@/core/config";
import { AppError } from "@/core/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { nudgeWorker } from "@/provisioning/queue/nudge";
import { setCustomerReason, terminate } from "@/lib/customers/holds";

type Actor = { id: string; email: string };

export function closeGraceDays(): number {
  return getConfig().closeGraceDays;
}

// The customer closes its service: everything is suspended at once (passwords kept) and can be
// restored during the grace period; afterwards accounts and rooms are removed from the servers.
export async function closeCustomer(customerId: string, actor: Actor): Promise<Date> {
  const customer = await prisma.customer.findUnique({
    where: { id: customerId },
    select: { status: true },
  });
  if (!customer) throw new AppError("not_found", "That customer does not exist.");
  if (!["ACTIVE", "PAST_DUE", "SUSPENDED"].includes(customer.status))
    throw new AppError("invalid", "This service is already closing or closed.");
  const closingAt = addDays(now(), closeGraceDays());
  await prisma.$transaction(async (tx) => {
    await tx.customer.update({ where: { id: customerId }, data: { status: "CLOSING", closingAt } });
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
  const customer = await prisma.customer.findUnique({
    where: { id: customerId },
    select: { status: true, closingAt: true },
  });
  if (!customer) throw new AppError("not_found", "That customer does not exist.");
  if (customer.status !== "CLOSING" || !customer.closingAt || customer.closingAt <= now())
    throw new AppError(
      "invalid",
      "Only a closing service can be restored, before its grace period ends.",
    );
  await prisma.$transaction(async (tx) => {
    await tx.customer.update({
      where: { id: customerId },
      data: { status: "ACTIVE", closingAt: null },
    });
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

export async function deprovisionClosedCustomers(at: Date): Promise<number> {
  const due = await prisma.customer.findMany({
    where: { status: "CLOSING", closingAt: { lte: at } },
    select: { id: true },
  });
  for (const c of due) {
    await prisma.$transaction(async (tx) => {
      const removed = await terminate(tx, c.id, "CLOSED");
      await recordAudit(
        {
          actor: null,
          action: "customer.closed",
          targetType: "customer",
          targetId: c.id,
          customerId: c.id,
          reason: "grace period over",
          details: removed,
        },
        tx,
      );
    });
  }
  if (due.length) nudgeWorker();
  return due.length;
}
