import type { DB } from "@/core/db";
import { prisma } from "@/core/db";
import { now } from "@/core/clock";
import { recordAudit } from "@/lib/audit/record-audit";

// Install-wide settings admins change in the console (one row, id 1).

type Tx = Pick<DB, "installSettings" | "auditEvent">;

// Whether staff must turn on two-factor sign-in before using the console. No row means an
// install from before this setting existed: it keeps its old behaviour (a reminder only) until
// an admin turns it on. New installs get the row, on by default, with the first admin.
export async function staffTwoFactorRequired(): Promise<boolean> {
  const row = await prisma.installSettings.findUnique({
    where: { id: 1 },
    select: { requireStaffTwoFactor: true },
  });
  return row?.requireStaffTwoFactor ?? false;
}

export async function setStaffTwoFactorRequired(
  required: boolean,
  actor: { id: string; email: string },
  tx?: Tx,
): Promise<void> {
  const write = async (db: Tx) => {
    await db.installSettings.upsert({
      where: { id: 1 },
      create: { id: 1, requireStaffTwoFactor: required, updatedAt: now() },
      update: { requireStaffTwoFactor: required, updatedAt: now() },
    });
    await recordAudit(
      {
        actor,
        action: required
          ? "settings.staff_two_factor_required"
          : "settings.staff_two_factor_optional",
        targetType: "settings",
        targetId: "install",
      },
      db,
    );
  };
  if (tx) return write(tx);
  await prisma.$transaction((db) => write(db));
}
