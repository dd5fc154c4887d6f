import { prisma } from "@/core/db";
import { AppError } from "@/core/errors";
import { claimImportBatch } from "@/lib/imports/batches";
import type { ImportActor } from "@/lib/imports/types";
import { createOperation } from "./start-bulk";

// "Import the valid rows": one bulk operation over the batch's rows. A second click finds the
// operation the first one started.
export async function startImport(batchId: string, actor: ImportActor): Promise<{ id: string }> {
  const claimed = await claimImportBatch(batchId, actor);
  if (!claimed) {
    const batch = await prisma.importBatch.findUnique({
      where: { id: batchId },
      select: { bulkOperationId: true },
    });
    if (batch?.bulkOperationId) return { id: batch.bulkOperationId };
    throw new AppError("conflict", "This import is starting; reload the page in a moment.");
  }
  const op = await createOperation(
    {
      action: `imports.${claimed.kind}`,
      target: "rows",
      params: { batchId },
      selection: { importBatch: batchId },
      subjects: claimed.rows.map((r) => ({ id: String(r.row), label: `Row ${r.row}` })),
    },
    actor,
  );
  await prisma.importBatch.update({ where: { id: batchId }, data: { bulkOperationId: op.id } });
  return op;
}
