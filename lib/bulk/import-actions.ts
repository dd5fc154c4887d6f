import { z } from "zod";
import { prisma } from "@/core/db";
import { AppError } from "@/core/errors";
import {
  applyImportRows,
  importBatchRows,
  recordImportResult,
  type ImportResult,
} from "@/lib/imports/batches";
import { IMPORTS } from "@/lib/imports/registry";
import type { ImportKind, ImportRow } from "@/lib/imports/types";
import type { BatchOutcomes, BulkActor } from "./bulk-actions";

// A CSV import as a bulk operation: one item per valid row (its row number is the subject), so
// the import gets the runner's progress, cancel, per-row failures and retry. The rows are read
// from the batch the upload validated; applying one is the import's own, repeatable step.

const ZImportParams = z.object({ batchId: z.string().min(1).max(64) });
type ImportParams = z.infer<typeof ZImportParams>;

// A batch's rows by number, kept while its import runs (a batch holds up to 20,000 rows, and
// is read once rather than once per chunk).
const cached = new Map<string, Promise<Map<number, ImportRow>>>();

function rowsOf(batchId: string, actor: BulkActor) {
  let rows = cached.get(batchId);
  if (!rows) {
    if (cached.size > 4) cached.clear();
    rows = importBatchRows(batchId, actor).then((all) => new Map(all.map((r) => [r.row, r])));
    rows.catch(() => cached.delete(batchId));
    cached.set(batchId, rows);
  }
  return rows;
}

async function applyRows(subjects: string[], p: ImportParams, actor: BulkActor) {
  const all = await rowsOf(p.batchId, actor);
  const rows = subjects.map((s) => all.get(Number(s))).filter((r) => r !== undefined);
  const results = await applyImportRows(p.batchId, rows, actor);
  const outcomes: BatchOutcomes = new Map();
  for (const r of results)
    outcomes.set(
      String(r.row),
      r.outcome === "failed"
        ? { error: r.error ?? "Not imported" }
        : r.outcome === "created"
          ? { outcome: "done" }
          : { outcome: "skipped", note: "Already present" },
    );
  return outcomes;
}

async function finishImport(operationId: string, p: ImportParams, actor: BulkActor) {
  cached.delete(p.batchId);
  const [op, failed] = await Promise.all([
    prisma.bulkOperation.findUniqueOrThrow({ where: { id: operationId } }),
    prisma.bulkItem.findMany({
      where: { operationId, status: { in: ["FAILED", "CANCELLED"] } },
      orderBy: { position: "asc" },
      select: { subjectId: true, error: true },
    }),
  ]);
  const result: ImportResult = {
    created: op.done,
    alreadyPresent: op.skipped,
    failed: failed.map((f) => ({
      row: Number(f.subjectId),
      outcome: "failed" as const,
      error: f.error ?? "Cancelled before it was imported",
    })),
  };
  await recordImportResult(p.batchId, result, actor);
}

export function importAction(kind: ImportKind) {
  return {
    target: "rows" as const,
    label: `Import ${IMPORTS[kind].noun[1]}`,
    permission: IMPORTS[kind].permission,
    params: ZImportParams,
    repeatable: true,
    async apply(subject: string, p: ImportParams, actor: BulkActor) {
      const outcome = (await applyRows([subject], p, actor)).get(subject);
      if (!outcome) return { outcome: "skipped" as const, note: "Not in the upload" };
      if ("error" in outcome) throw new AppError("invalid", outcome.error);
      return outcome;
    },
    applyBatch: applyRows,
    finish: finishImport,
  };
}
