import { addDays } from "date-fns";
import { z } from "zod";
import { prisma } from "@/core/db";
import { now } from "@/core/clock";
import { getConfig } from "@/core/config";
import { AppError } from "@/core/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { hashToken, newToken } from "@/core/tokens";

type Actor = { id: string; email: string };

// How long a shared report link works: chosen when sharing, a year at most.
export const SHARE_LINK_DEFAULT_DAYS = 30;
export const SHARE_LINK_MAX_DAYS = 365;
export const ZShareReport = z.object({
  checkId: z.string().trim().min(1, "Missing report"),
  days: z.coerce
    .number({ error: "Enter a number of days" })
    .int("Enter whole days")
    .min(1, "A link works for at least 1 day")
    .max(SHARE_LINK_MAX_DAYS, `A link works for at most ${SHARE_LINK_MAX_DAYS} days`)
    .default(SHARE_LINK_DEFAULT_DAYS),
});
export const ZRevokeShareLink = z.object({ linkId: z.string().trim().min(1, "Missing link") });

// An unguessable link to one report, for customers, until it expires or is revoked; only its
// hash is stored.
export async function shareReport(
  input: z.infer<typeof ZShareReport>,
  actor: Actor,
): Promise<{ link: string; expiresAt: Date }> {
  const { checkId, days } = ZShareReport.parse(input);
  const check = await prisma.complianceCheck.findUnique({
    where: { id: checkId },
    select: { id: true, serverId: true },
  });
  if (!check) throw new AppError("not_found", "That report does not exist.");
  const token = newToken();
  const expiresAt = addDays(now(), days);
  await prisma.$transaction(async (tx) => {
    const link = await tx.complianceShareLink.create({
      data: {
        checkId: check.id,
        serverId: check.serverId,
        tokenHash: hashToken(token),
        createdAt: now(),
        expiresAt,
      },
      select: { id: true },
    });
    await recordAudit(
      {
        actor,
        action: "compliance.report_shared",
        targetType: "server",
        targetId: check.serverId,
        details: { checkId, linkId: link.id, expiresAt: expiresAt.toISOString() },
      },
      tx,
    );
  });
  return { link: `${getConfig().publicUrl}/compliance/${token}`, expiresAt };
}

// Stops a shared link at once; the page then says it was withdrawn.
export async function revokeShareLink(
  input: z.infer<typeof ZRevokeShareLink>,
  actor: Actor,
): Promise<void> {
  const { linkId } = ZRevokeShareLink.parse(input);
  await prisma.$transaction(async (tx) => {
    const { count } = await tx.complianceShareLink.updateMany({
      where: { id: linkId, revokedAt: null },
      data: { revokedAt: now() },
    });
    const link = await tx.complianceShareLink.findUnique({
      where: { id: linkId },
      select: { serverId: true },
    });
    if (!link) throw new AppError("not_found", "That link does not exist.");
    if (count === 0) throw new AppError("conflict", "That link was already withdrawn.");
    await recordAudit(
      {
        actor,
        action: "compliance.report_link_revoked",
        targetType: "server",
        targetId: link.serverId,
        details: { linkId },
      },
      tx,
    );
  });
}
