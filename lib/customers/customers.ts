import { HOLDS_SEAT } from "@/lib/accounts/account-slot";
import { prisma, type DB } from "@/core/db";
import { now } from "@/core/clock";
import { AppError } from "@/core/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import type { TCustomerInput } from "@/lib/validation/customers";

type Actor = { id: string; email: string };

async function assertPlanUsable(planId: string | undefined, db: Pick<DB, "plan"> = prisma) {
  if (!planId) return;
  const plan = await db.plan.findUnique({
    where: { id: planId },
    select: { archivedAt: true },
  });
  if (!plan)
    throw new AppError("invalid", "That plan does not exist.", {
      planId: ["Choose an existing plan"],
    });
  if (plan.archivedAt)
    throw new AppError("invalid", "That plan is archived; choose a current plan.", {
      planId: ["Archived plan"],
    });
}

export function createCustomer(input: TCustomerInput, actor: Actor) {
  return prisma.$transaction((tx) => insertCustomer(tx, input, actor));
}

// The creation inside the caller's transaction (the CSV import holds its own).
export async function insertCustomer(
  tx: Pick<DB, "plan" | "customer" | "auditEvent">,
  input: TCustomerInput,
  actor: Actor,
) {
  await assertPlanUsable(input.planId, tx);
  const customer = await tx.customer.create({
    data: {
      name: input.name,
      kind: input.kind,
      contactEmail: input.contactEmail,
      planId: input.planId ?? null,
      notes: input.notes,
      createdAt: now(),
    },
    select: { id: true },
  });
  await recordAudit(
    {
      actor,
      action: "customer.created",
      targetType: "customer",
      targetId: customer.id,
      customerId: customer.id,
      details: { name: input.name, planId: input.planId ?? null },
    },
    tx,
  );
  return customer;
}

export async function updateCustomer(id: string, input: TCustomerInput, actor: Actor) {
  const existing = await prisma.customer.findUnique({ where: { id }, select: { planId: true } });
  if (!existing) throw new AppError("not_found", "That customer does not exist.");
  if (input.planId !== existing.planId) await assertPlanUsable(input.planId);
  await prisma.$transaction(async (tx) => {
    await tx.customer.update({
      where: { id },
      data: {
        name: input.name,
        kind: input.kind,
        contactEmail: input.contactEmail,
        planId: input.planId ?? null,
        notes: input.notes,
      },
    });
    await recordAudit(
      {
        actor,
        action: "customer.updated",
        targetType: "customer",
        targetId: id,
        customerId: id,
        details:
          input.planId !== existing.planId
            ? { planFrom: existing.planId, planTo: input.planId ?? null }
            : undefined,
      },
      tx,
    );
  });
}

export async function customerUsage(customerId: string) {
  const [accounts, rooms] = await Promise.all([
    prisma.xmppAccount.count({ where: { customerId, ...HOLDS_SEAT } }),
    prisma.room.count({ where: { customerId, status: { not: "DELETED" } } }),
  ]);
  return { accounts, rooms };
}

// Moves a customer to another plan; false when it is already on it (nothing written).
export async function changeCustomerPlan(id: string, planId: string, actor: Actor) {
  const existing = await prisma.customer.findUnique({ where: { id }, select: { planId: true } });
  if (!existing) throw new AppError("not_found", "That customer does not exist.");
  if (existing.planId === planId) return false;
  await assertPlanUsable(planId);
  await prisma.$transaction(async (tx) => {
    await tx.customer.update({ where: { id }, data: { planId } });
    await recordAudit(
      {
        actor,
        action: "customer.updated",
        targetType: "customer",
        targetId: id,
        customerId: id,
        details: { planFrom: existing.planId, planTo: planId },
      },
      tx,
    );
  });
  return true;
}
