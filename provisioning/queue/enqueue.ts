import type { DB } from "@/core/db";
import { now } from "@/core/clock";
import { seal } from "@/core/secrets";

export type EnqueueInput = {
  type: string;
  payload: Record<string, unknown>;
  // Same key → the same job: enqueueing twice does nothing the second time.
  idempotencyKey?: string;
  runAt?: Date;
  maxAttempts?: number;
  secret?: { value: string; key: Buffer };
  serverId?: string | null;
  customerId?: string | null;
  subjectId?: string | null;
  createdById?: string | null;
};

type Tx = Pick<DB, "job">;

export async function enqueue(db: Tx, input: EnqueueInput): Promise<{ id: string; created: boolean }> {
  if (input.idempotencyKey) {
    const existing = await db.job.findUnique({ where: { idempotencyKey: input.idempotencyKey }, select: { id: true } });
    if (existing) return { id: existing.id, created: false };
  }
  try {
    const job = await db.job.create({
      data: {
        type: input.type,
        payload: input.payload as never,
        secretEnc: input.secret ? seal(input.secret.value, input.secret.key) : null,
        idempotencyKey: input.idempotencyKey ?? null,
        runAt: input.runAt ?? now(),
        createdAt: now(),
        ...(input.maxAttempts ? { maxAttempts: input.maxAttempts } : {}),
        serverId: input.serverId ?? null,
        customerId: input.customerId ?? null,
        subjectId: input.subjectId ?? null,
        createdById: input.createdById ?? null,
      },
      select: { id: true },
    });
    return { id: job.id, created: true };
  } catch (error) {
    // A concurrent enqueue with the same key won the race.
    if ((error as { code?: string }).code === "P2002" && input.idempotencyKey) {
      const existing = await db.job.findUniqueOrThrow({ where: { idempotencyKey: input.idempotencyKey }, select: { id: true } });
      return { id: existing.id, created: false };
    }
    throw error;
  }
}
