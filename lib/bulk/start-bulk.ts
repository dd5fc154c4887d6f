import { z } from "zod";
import { prisma, type DB } from "@/core/db";
import { now } from "@/core/clock";
import { AppError } from "@/core/errors";
import { authorize, isStaff } from "@/lib/auth/policy";
import { recordAudit } from "@/lib/audit/record-audit";
import { enqueue } from "@/lib/jobs/job-types";
import { nudgeWorker } from "@/provisioning/queue/nudge";
import { BULK_ACTION_NAMES, bulkAction, type BulkActor } from "./bulk-actions";
import { BULK_TARGETS, type Subject } from "./bulk-targets";

// Starting, cancelling and retrying bulk operations. The work itself is the bulk.run job
// (run-bulk.ts); these only write what it reads.

export const MAX_SELECTED = 1000;
const ITEM_CHUNK = 500;

const toArray = (v: unknown) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

export const ZStartBulk = z
  .object({
    action: z.enum(BULK_ACTION_NAMES, { message: "Choose what to do" }),
    scope: z.enum(["selected", "filter"]).default("selected"),
    ids: z.preprocess(
      toArray,
      z.array(z.string().min(1).max(64)).max(MAX_SELECTED, `At most ${MAX_SELECTED} rows`),
    ),
    // The list view's query string, for "every row matching this filter".
    filter: z.string().max(4000).default(""),
    confirm: z.string().trim().max(100).default(""),
  })
  .loose();
export type TStartBulk = z.infer<typeof ZStartBulk>;

// Staff only, whatever the action's permission: portal users hold some of the same
// permissions for their own customer, never across customers.
export function assertMayRunBulk(actor: BulkActor, actionName: string) {
  if (!isStaff(actor)) throw new AppError("forbidden", "Bulk actions are for staff.");
  authorize(actor, bulkAction(actionName).permission);
}

async function insertItems(
  db: Pick<DB, "bulkItem">,
  operationId: string,
  from: number,
  subjects: Subject[],
) {
  for (let i = 0; i < subjects.length; i += ITEM_CHUNK) {
    await db.bulkItem.createMany({
      data: subjects.slice(i, i + ITEM_CHUNK).map((s, j) => ({
        operationId,
        position: from + i + j,
        subjectId: s.id,
        label: s.label,
      })),
    });
  }
}

export type NewOperation = {
  action: string;
  target: string;
  params: object;
  selection: object;
  subjects: Subject[] | null;
  retryOfId?: string;
};

// `link` runs in the same transaction, so whatever starts the operation (an import's batch)
// records it atomically, or nothing is created.
export async function createOperation(
  input: NewOperation,
  actor: BulkActor,
  link?: (tx: Pick<DB, "importBatch">, operationId: string) => Promise<void>,
) {
  const operation = await prisma.$transaction(async (tx) => {
    const op = await tx.bulkOperation.create({
      data: {
        action: input.action,
        target: input.target,
        params: input.params,
        selection: input.selection,
        retryOfId: input.retryOfId ?? null,
        createdById: actor.id,
        createdAt: now(),
        // Chosen rows are known now; a filter is expanded by the job.
        ...(input.subjects ? { total: input.subjects.length, expandedAt: now() } : {}),
      },
      select: { id: true },
    });
    if (input.subjects) await insertItems(tx, op.id, 0, input.subjects);
    await link?.(tx, op.id);
    await enqueue(
      tx,
      "bulk.run",
      { operationId: op.id },
      {
        idempotencyKey: `bulk:${op.id}`,
        createdById: actor.id,
        subjectId: op.id,
      },
    );
    await recordAudit(
      {
        actor,
        action: "bulk.started",
        targetType: "bulkOperation",
        targetId: op.id,
        details: {
          action: input.action,
          selection: input.selection,
          total: input.subjects?.length ?? null,
        },
      },
      tx,
    );
    return op;
  });
  nudgeWorker();
  return operation;
}

export async function startBulk(input: TStartBulk, actor: BulkActor): Promise<{ id: string }> {
  assertMayRunBulk(actor, input.action);
  const action = bulkAction(input.action);
  const params = action.params.safeParse(input);
  if (!params.success) {
    const fieldErrors = z.flattenError(params.error).fieldErrors as Record<string, string[]>;
    throw new AppError("invalid", "Some fields need attention.", fieldErrors);
  }
  if (action.confirmWord && input.confirm.toLowerCase() !== action.confirmWord)
    throw new AppError("invalid", `Type “${action.confirmWord}” to confirm.`, {
      confirm: [`Type “${action.confirmWord}”`],
    });
  if (action.target === "rows")
    throw new AppError("invalid", "Start an import from its upload page.");
  const target = BULK_TARGETS[action.target];
  if (input.scope === "filter") {
    const filter = target.parseFilter(input.filter);
    return createOperation(
      {
        action: input.action,
        target: action.target,
        params: params.data as object,
        selection: { filter },
        subjects: null,
      },
      actor,
    );
  }
  const ids = [...new Set(input.ids)];
  const subjects = ids.length ? await target.byIds(ids) : [];
  if (subjects.length === 0)
    throw new AppError(
      "invalid",
      "Select at least one row, or choose every row matching the filter.",
    );
  return createOperation(
    {
      action: input.action,
      target: action.target,
      params: params.data as object,
      selection: { ids: subjects.length },
      subjects,
    },
    actor,
  );
}

async function loadOperation(id: string, actor: BulkActor) {
  const op = await prisma.bulkOperation.findUnique({
    where: { id },
    select: { id: true, action: true, target: true, params: true, status: true },
  });
  if (!op) throw new AppError("not_found", "That bulk operation does not exist.");
  assertMayRunBulk(actor, op.action);
  return op;
}

// Asks the runner to stop: items not yet started are cancelled, the one in hand finishes.
export async function cancelBulk(id: string, actor: BulkActor): Promise<void> {
  await loadOperation(id, actor);
  const moved = await prisma.bulkOperation.updateMany({
    where: { id, status: { in: ["PENDING", "RUNNING"] } },
    data: { status: "CANCELLING" },
  });
  if (moved.count === 0) throw new AppError("invalid", "This operation has already ended.");
  await recordAudit({
    actor,
    action: "bulk.cancelled",
    targetType: "bulkOperation",
    targetId: id,
  });
  nudgeWorker();
}

// A new operation over the items that failed (or were cancelled), with the same settings.
export async function retryBulk(id: string, actor: BulkActor): Promise<{ id: string }> {
  const op = await loadOperation(id, actor);
  if (!["DONE", "CANCELLED"].includes(op.status))
    throw new AppError("invalid", "Wait for this operation to end before retrying it.");
  const items = await prisma.bulkItem.findMany({
    where: { operationId: id, status: { in: ["FAILED", "CANCELLED"] } },
    orderBy: { position: "asc" },
    select: { subjectId: true, label: true },
  });
  if (items.length === 0)
    throw new AppError("invalid", "Nothing failed, so there is nothing to retry.");
  return createOperation(
    {
      action: op.action,
      target: op.target,
      params: op.params as object,
      selection: { retryOf: id },
      subjects: items.map((i) => ({ id: i.subjectId, label: i.label })),
      retryOfId: id,
    },
    actor,
  );
}
