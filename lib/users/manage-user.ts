import { prisma } from "@/core/db";
import { AppError } from "@/core/errors";
import { now } from "@/core/clock";
import { recordAudit } from "@/lib/audit/record-audit";

type Actor = { id: string; email: string };

async function loadUser(userId: string) {
  const user = await prisma.user.findUnique({
    where: { id: userId },
    select: { id: true, role: true, customerId: true, disabledAt: true, email: true },
  });
  if (!user) throw new AppError("not_found", "That user does not exist.");
  return user;
}

async function otherActiveAdmins(userId: string): Promise<number> {
  return prisma.user.count({ where: { role: "ADMIN", disabledAt: null, id: { not: userId } } });
}

export async function unlockUser(userId: string, actor: Actor) {
  const user = await loadUser(userId);
  await prisma.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { lockedUntil: null, failedLogins: 0 } });
    await recordAudit(
      {
        actor,
        action: "user.unlocked",
        targetType: "user",
        targetId: user.id,
        customerId: user.customerId,
      },
      tx,
    );
  });
}

export async function setUserDisabled(userId: string, disabled: boolean, actor: Actor) {
  const user = await loadUser(userId);
  if (disabled && user.id === actor.id)
    throw new AppError("invalid", "You cannot disable your own sign-in.");
  if (disabled && user.role === "ADMIN" && (await otherActiveAdmins(user.id)) === 0) {
    throw new AppError("invalid", "This is the last active admin; make someone else admin first.");
  }
  await prisma.$transaction(async (tx) => {
    // Bumping the session version ends every open session of the user at once.
    await tx.user.update({
      where: { id: user.id },
      data: { disabledAt: disabled ? now() : null, sessionVersion: { increment: 1 } },
    });
    await recordAudit(
      {
        actor,
        action: disabled ? "user.disabled" : "user.enabled",
        targetType: "user",
        targetId: user.id,
        customerId: user.customerId,
      },
      tx,
    );
  });
}

export async function changeStaffRole(userId: string, role: "ADMIN" | "SUPPORT", actor: Actor) {
  const user = await loadUser(userId);
  if (user.role === "CUSTOMER")
    throw new AppError("invalid", "Portal users cannot be given a staff role.");
  if (user.role === role) return;
  if (user.role === "ADMIN" && (await otherActiveAdmins(user.id)) === 0) {
    throw new AppError("invalid", "This is the last active admin; make someone else admin first.");
  }
  await prisma.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { role } });
    await recordAudit(
      {
        actor,
        action: "staff.role_changed",
        targetType: "user",
        targetId: user.id,
        details: { from: user.role, to: role },
      },
      tx,
    );
  });
}

// Ends every session of the user (e.g. after a lost laptop).
export async function signOutEverywhere(userId: string, actor: Actor) {
  const user = await loadUser(userId);
  await prisma.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { sessionVersion: { increment: 1 } } });
    await recordAudit(
      {
        actor,
        action: "user.sessions_revoked",
        targetType: "user",
        targetId: user.id,
        customerId: user.customerId,
      },
      tx,
    );
  });
}
