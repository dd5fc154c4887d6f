import type { DB } from "@/core/db";
import { prisma } from "@/core/db";
import { now } from "@/core/clock";
import { newId } from "@/core/ids";
import type { SqlRunner } from "@/core/sql";

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

// No request metadata is accepted here, so no client address can reach the audit trail.
function auditRow(input: AuditInput) {
  return {
    at: now(),
    actorId: input.actor?.id ?? null,
    actorLabel: input.actor?.email ?? "system",
    action: input.action,
    targetType: input.targetType,
    targetId: input.targetId ?? null,
    customerId: input.customerId ?? null,
    reason: input.reason ?? null,
    details: input.details ?? null,
  };
}

// Who did what and when; callers pass the transaction so the row commits with the change.
export async function recordAudit(input: AuditInput, tx: Tx = prisma): Promise<void> {
  const { details, ...row } = auditRow(input);
  await tx.auditEvent.create({
    data: { ...row, details: (details ?? undefined) as never },
    // Nothing is returned, so nothing is read back (the full row costs Prisma a third more).
    select: { id: true },
  });
}

// The same row through driver-level SQL (core/sql.ts), for the webhook's hot path; `run` is the
// Sql itself or one of its transactions.
export async function recordAuditSql(run: SqlRunner, input: AuditInput): Promise<void> {
  const row = auditRow(input);
  await run.execute(
    `INSERT INTO "AuditEvent" ("id", "at", "actorId", "actorLabel", "action", "targetType",
      "targetId", "customerId", "reason", "details")
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      newId(),
      row.at,
      row.actorId,
      row.actorLabel,
      row.action,
      row.targetType,
      row.targetId,
      row.customerId,
      row.reason,
      row.details === null ? null : JSON.stringify(row.details),
    ],
    true,
  );
}
