import { prisma } from "@/core/db";
import { now } from "@/core/clock";
import { recordAudit } from "@/lib/audit/record-audit";

export async function markAllNotificationsRead(actor: {
  id: string;
  email: string;
}): Promise<number> {
  return prisma.$transaction(async (tx) => {
    const { count } = await tx.notification.updateMany({
      where: { userId: actor.id, readAt: null },
      data: { readAt: now() },
    });
    await recordAudit(
      {
        actor,
        action: "notifications.read",
        targetType: "user",
        targetId: actor.id,
        details: { count },
      },
      tx,
    );
    return count;
  });
}
