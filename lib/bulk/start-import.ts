import { prisma } from "@/core/db";
import { now } from "@/core/clock";
import { AppError } from "@/core/errors";
import { importBatchToStart } from "@/lib/imports/batches";
import type { ImportActor } from "@/lib/imports/types";
import { createOperation } from "./start-bulk";

class AlreadyStarted extends Error {}

// "Import the valid rows": one bulk operation over the batch's rows, recorded on the batch in
// the same transaction. A second click (or one at the same time) finds the first one's.
export async function startImport(batchId: string, actor: ImportActor): Promise<{ id: string }> {
  const batch = await importBatchToStart(batchId, actor);
  if (batch.startedBy) return { id: batch.startedBy };
  try {
    return await createOperation(
      {
        action: `imports.${batch.kind}`,
        target: "rows",
        params: { batchId },
        selection: { importBatch: batchId },
        subjects: batch.rows.map((r) => ({ id: String(r.row), label: `Row ${r.row}` })),
      },
      actor,
      async (tx, operationId) => {
        const claimed = await tx.importBatch.updateMany({
          where: { id: batchId, bulkOperationId: null },
          data: { bulkOperationId: operationId, appliedAt: now() },
        });
        if (claimed.count === 0) throw new AlreadyStarted();
      },
    );
  } catch (error) {
    if (!(error instanceof AlreadyStarted)) throw error;
    const started = await prisma.importBatch.findUnique({
      where: { id: batchId },
      select: { bulkOperationId: true },
    });
    if (!started?.bulkOperationId) throw new AppError("conflict", "Reload the page and try again.");
    return { id: started.bulkOperationId };
  }
}
