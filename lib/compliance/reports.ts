import { prisma } from "@/core/db";
import { now } from "@/core/clock";
import { getConfig } from "@/core/config";
import { AppError } from "@/core/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { hashToken, newToken } from "@/core/tokens";

// An unguessable link to one report, for customers; only its hash is stored.
export async function shareReport(
  checkId: string,
  actor: { id: string; email: string },
): Promise<string> {
  const check = await prisma.complianceCheck.findUnique({
    where: { id: checkId },
    select: { id: true, serverId: true },
  });
  if (!check) throw new AppError("not_found", "That report does not exist.");
  const token = newToken();
  await prisma.$transaction(async (tx) => {
    await tx.complianceCheck.update({
      where: { id: check.id },
      data: { shareTokenHash: hashToken(token) },
    });
    await recordAudit(
      {
        actor,
        action: "compliance.report_shared",
        targetType: "server",
        targetId: check.serverId,
        details: { checkId, at: now().toISOString() },
      },
      tx,
    );
  });
  return `${getConfig().publicUrl}/compliance/${token}`;
}
