import type { DB } from "@/core/db";
import { prisma } from "@/core/db";
import { now } from "@/core/clock";

type Tx = Pick<DB, "auditEvent">;

export type AuditInput = {
  actor: { id: string; email: string } | null;
  action: string;
  targetType: string;
  targetId?: string | null;
  customerId?: string | null;
  reason?: string | null;
  details?: Record<string, unknown>;
};

// Who did what and when; callers pass the transaction so the row commits with the change.
// No request metadata is accepted here, so no client address can reach the audit trail.
export async function recordAudit(input: AuditInput, tx: Tx = prisma): Promise<void> {
  await tx.auditEvent.create({
    data: {
      at: now(),
      actorId: input.actor?.id ?? null,
      actorLabel: input.actor?.email ?? "system",
      action: input.action,
      targetType: input.targetType,
      targetId: input.targetId ?? null,
      customerId: input.customerId ?? null,
      reason: input.reason ?? null,
      details: (input.details ?? undefined) as never,
    },
    // Nothing is returned, so nothing is read back (the full row costs Prisma a third more).
    select: { id: true },
  });
}
