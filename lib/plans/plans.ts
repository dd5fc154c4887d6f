import { prisma } from "@/core/db";
import { now } from "@/core/clock";
import { AppError } from "@/core/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import type { TPlanInput } from "@/lib/validation/plans";

type Actor = { id: string; email: string };

function toData(input: TPlanInput) {
  return {
    name: input.name,
    description: input.description,
    seats: input.seats,
    rooms: input.rooms,
    retentionDays: input.retentionDays,
    currency: input.currency,
    priceCents: input.price === undefined ? null : Math.round(input.price * 100),
    stripePriceId: input.stripePriceId ?? null,
  };
}

async function assertNameFree(name: string, exceptId?: string, stripePriceId?: string) {
  const clash = await prisma.plan.findUnique({ where: { name }, select: { id: true } });
  if (clash && clash.id !== exceptId)
    throw new AppError("conflict", "A plan with that name already exists.", {
      name: ["Already used by another plan"],
    });
  if (stripePriceId) {
    const priced = await prisma.plan.findUnique({
      where: { stripePriceId },
      select: { id: true, name: true },
    });
    if (priced && priced.id !== exceptId)
      throw new AppError(
        "conflict",
        `That Stripe price is already linked to the plan “${priced.name}”.`,
        { stripePriceId: ["Already linked"] },
      );
  }
}

export async function createPlan(input: TPlanInput, actor: Actor) {
  await assertNameFree(input.name, undefined, input.stripePriceId);
  return prisma.$transaction(async (tx) => {
    const plan = await tx.plan.create({
      data: { ...toData(input), createdAt: now() },
      select: { id: true },
    });
    await recordAudit(
      {
        actor,
        action: "plan.created",
        targetType: "plan",
        targetId: plan.id,
        details: { name: input.name },
      },
      tx,
    );
    return plan;
  });
}

export async function updatePlan(id: string, input: TPlanInput, actor: Actor) {
  const existing = await prisma.plan.findUnique({ where: { id }, select: { id: true } });
  if (!existing) throw new AppError("not_found", "That plan does not exist.");
  await assertNameFree(input.name, id, input.stripePriceId);
  await prisma.$transaction(async (tx) => {
    await tx.plan.update({ where: { id }, data: toData(input) });
    await recordAudit(
      {
        actor,
        action: "plan.updated",
        targetType: "plan",
        targetId: id,
        details: { ...toData(input) },
      },
      tx,
    );
  });
}

// Plans in use are archived, never deleted, so customers keep their limits.
export async function setPlanArchived(id: string, archived: boolean, actor: Actor) {
  const existing = await prisma.plan.findUnique({ where: { id }, select: { id: true } });
  if (!existing) throw new AppError("not_found", "That plan does not exist.");
  await prisma.$transaction(async (tx) => {
    await tx.plan.update({ where: { id }, data: { archivedAt: archived ? now() : null } });
    await recordAudit(
      {
        actor,
        action: archived ? "plan.archived" : "plan.restored",
        targetType: "plan",
        targetId: id,
      },
      tx,
    );
  });
}
