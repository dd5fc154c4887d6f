import { prisma } from "@/core/db";
import { now } from "@/core/clock";
import { AppError } from "@/core/errors";
import { logError } from "@/core/log";
import type { JobTypes } from "@/lib/jobs/job-types";
import type { JobHandlers } from "@/provisioning/queue/registry";
import { withBulkTag } from "@/provisioning/queue/job-tag";
import { nudgeWorker } from "@/provisioning/queue/nudge";
import { bulkAction, type BatchOutcomes, type BulkActor, type ItemOutcome } from "./bulk-actions";
import { BULK_TARGETS } from "./bulk-targets";
import { assertMayRunBulk } from "./start-bulk";

// The bulk.run job: turns a filter into items, then applies the action item by item, each
// through its domain function. Every step is recorded as it happens, so a restart resumes
// where the last run stopped and an item is never applied twice unless that is harmless.

const EXPAND_BATCH = 1000;
const APPLY_BATCH = 50;

type Operation = NonNullable<Awaited<ReturnType<typeof loadOperation>>>;

function loadOperation(id: string) {
  return prisma.bulkOperation.findUnique({
    where: { id },
    select: {
      id: true,
      action: true,
      target: true,
      params: true,
      selection: true,
      status: true,
      expandedAt: true,
      createdById: true,
    },
  });
}

// Resumes after the last item written: items are inserted in subject id order.
async function expand(op: Operation, signal: AbortSignal) {
  const target = BULK_TARGETS[op.target as keyof typeof BULK_TARGETS];
  const filter = (op.selection as { filter?: Record<string, unknown> }).filter ?? {};
  const last = await prisma.bulkItem.findFirst({
    where: { operationId: op.id },
    orderBy: { position: "desc" },
    select: { position: true, subjectId: true },
  });
  let position = last ? last.position + 1 : 0;
  let after = last?.subjectId ?? null;
  for (;;) {
    signal.throwIfAborted();
    const subjects = await target.batch(filter, after, EXPAND_BATCH);
    if (subjects.length === 0) break;
    const from = position;
    await prisma.$transaction([
      prisma.bulkItem.createMany({
        data: subjects.map((s, i) => ({
          operationId: op.id,
          position: from + i,
          subjectId: s.id,
          label: s.label,
        })),
      }),
      prisma.bulkOperation.update({
        where: { id: op.id },
        data: { total: { increment: subjects.length } },
      }),
    ]);
    position += subjects.length;
    after = subjects[subjects.length - 1].id;
  }
  await prisma.bulkOperation.update({ where: { id: op.id }, data: { expandedAt: now() } });
}

// An item left RUNNING by a run that died: applied again if the action allows it, else
// reported, since it may or may not have happened.
async function recoverInterrupted(op: Operation, repeatable: boolean) {
  if (repeatable) {
    await prisma.bulkItem.updateMany({
      where: { operationId: op.id, status: "RUNNING" },
      data: { status: "PENDING" },
    });
    return;
  }
  const failed = await prisma.bulkItem.updateMany({
    where: { operationId: op.id, status: "RUNNING" },
    data: {
      status: "FAILED",
      finishedAt: now(),
      error: "Interrupted by a restart: it may or may not have been done. Check, then retry.",
    },
  });
  if (failed.count)
    await prisma.bulkOperation.update({
      where: { id: op.id },
      data: { failed: { increment: failed.count } },
    });
}

function describe(error: unknown): string {
  if (error instanceof AppError) return error.message;
  const message = error instanceof Error ? error.message : "unknown error";
  logError("bulk", `item failed unexpectedly: ${message}`);
  return `Unexpected error: ${message.slice(0, 300)}`;
}

const STATUS = { done: "DONE", skipped: "SKIPPED" } as const;
type Finished = { itemId: string; status: "DONE" | "SKIPPED" | "FAILED"; text: string | null };

function finished(itemId: string, result: ItemOutcome | { error: string }): Finished {
  return "error" in result
    ? { itemId, status: "FAILED", text: result.error }
    : { itemId, status: STATUS[result.outcome], text: result.note ?? null };
}

const COUNTER = { DONE: "done", SKIPPED: "skipped", FAILED: "failed" } as const;

// Items that share an outcome and a message are written with one statement.
async function finishItems(op: Operation, items: Finished[]) {
  const groups = new Map<string, Finished[]>();
  for (const item of items) {
    const key = JSON.stringify([item.status, item.text]);
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  const counts = { done: 0, skipped: 0, failed: 0 };
  for (const item of items) counts[COUNTER[item.status]]++;
  const at = now();
  await prisma.$transaction([
    ...[...groups.values()].map((group) =>
      prisma.bulkItem.updateMany({
        where: { id: { in: group.map((g) => g.itemId) } },
        data: { status: group[0].status, error: group[0].text, finishedAt: at },
      }),
    ),
    prisma.bulkOperation.update({
      where: { id: op.id },
      data: {
        done: { increment: counts.done },
        skipped: { increment: counts.skipped },
        failed: { increment: counts.failed },
      },
    }),
  ]);
}

type Item = { id: string; subjectId: string };

async function applyOne(op: Operation, item: Item, actor: BulkActor) {
  const claimed = await prisma.bulkItem.updateMany({
    where: { id: item.id, status: "PENDING" },
    data: { status: "RUNNING" },
  });
  if (claimed.count === 0) return;
  let result: ItemOutcome | { error: string };
  try {
    const action = bulkAction(op.action);
    assertMayRunBulk(actor, op.action);
    const params = action.params.parse(op.params);
    result = await withBulkTag(op.id, () => action.apply(item.subjectId, params, actor));
  } catch (error) {
    result = { error: describe(error) };
  }
  await finishItems(op, [finished(item.id, result)]);
}

// A whole batch in one domain transaction; claimed with RETURNING so that runners that
// overlap (a lease lost and taken over) never apply the same item twice.
async function applyBatch(op: Operation, items: Item[], actor: BulkActor) {
  const action = bulkAction(op.action);
  const claimed = await prisma.bulkItem.updateManyAndReturn({
    where: { id: { in: items.map((i) => i.id) }, status: "PENDING" },
    data: { status: "RUNNING" },
    select: { id: true, subjectId: true },
  });
  if (claimed.length === 0) return;
  let outcomes: BatchOutcomes;
  try {
    assertMayRunBulk(actor, op.action);
    const params = action.params.parse(op.params);
    const ids = claimed.map((c) => c.subjectId);
    outcomes = await withBulkTag(op.id, () => action.applyBatch!(ids, params, actor));
  } catch (error) {
    const why = describe(error);
    outcomes = new Map(claimed.map((c) => [c.subjectId, { error: why }]));
  }
  await finishItems(
    op,
    claimed.map((c) => finished(c.id, outcomes.get(c.subjectId) ?? { error: "No result" })),
  );
}

async function cancelRest(op: Operation) {
  const cancelled = await prisma.bulkItem.updateMany({
    where: { operationId: op.id, status: "PENDING" },
    data: { status: "CANCELLED", finishedAt: now() },
  });
  await prisma.bulkOperation.update({
    where: { id: op.id },
    data: {
      status: "CANCELLED",
      finishedAt: now(),
      cancelled: { increment: cancelled.count },
      ...(op.expandedAt ? {} : { expandedAt: now() }),
    },
  });
}

async function isCancelling(id: string) {
  const row = await prisma.bulkOperation.findUnique({ where: { id }, select: { status: true } });
  return row?.status === "CANCELLING";
}

// The operation's author, as they are now: a role taken away stops the rest of the work.
async function actorOf(op: Operation): Promise<BulkActor> {
  const user = op.createdById
    ? await prisma.user.findUnique({
        where: { id: op.createdById },
        select: { id: true, email: true, role: true, customerId: true, disabledAt: true },
      })
    : null;
  if (!user || user.disabledAt)
    return { id: "", email: "removed staff", role: "CUSTOMER", customerId: null };
  return user;
}

// The action's closing step, once the operation has ended.
async function finishOperation(op: Operation, actor: BulkActor) {
  const action = bulkAction(op.action);
  if (action.finish) await action.finish(op.id, action.params.parse(op.params), actor);
}

export async function runBulk(operationId: string, signal: AbortSignal): Promise<object> {
  const op = await loadOperation(operationId);
  if (!op || op.status === "DONE" || op.status === "CANCELLED") return { skipped: true };
  if (op.status === "CANCELLING") {
    await cancelRest(op);
    await finishOperation(op, await actorOf(op));
    return { cancelled: true };
  }
  await prisma.bulkOperation.updateMany({
    where: { id: op.id, status: "PENDING" },
    data: { status: "RUNNING", startedAt: now() },
  });
  if (!op.expandedAt) await expand(op, signal);
  const action = bulkAction(op.action);
  await recoverInterrupted(op, action.repeatable);
  const actor = await actorOf(op);
  for (;;) {
    signal.throwIfAborted();
    if (await isCancelling(op.id)) {
      await cancelRest({ ...op, expandedAt: now() });
      await finishOperation(op, actor);
      return { cancelled: true };
    }
    const items = await prisma.bulkItem.findMany({
      where: { operationId: op.id, status: "PENDING" },
      orderBy: { position: "asc" },
      take: APPLY_BATCH,
      select: { id: true, subjectId: true },
    });
    if (items.length === 0) break;
    if (action.applyBatch) await applyBatch(op, items, actor);
    else for (const item of items) await applyOne(op, item, actor);
    // Let the worker pick up the provisioning jobs these items enqueued while we go on.
    nudgeWorker();
  }
  const ended = await prisma.bulkOperation.updateMany({
    where: { id: op.id, status: { in: ["RUNNING", "CANCELLING"] } },
    data: { status: "DONE", finishedAt: now() },
  });
  if (ended.count) await finishOperation(op, actor);
  return { done: true };
}

export const bulkJobs: JobHandlers<JobTypes, "bulk.run"> = {
  "bulk.run": {
    maxAttempts: 20,
    handle: (ctx) => runBulk(ctx.payload.operationId, ctx.signal),
  },
};
