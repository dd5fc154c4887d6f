import { createHash } from "node:crypto";
import { addHours } from "date-fns";
import { prisma } from "@/core/db";
import { now } from "@/core/clock";
import { AppError } from "@/core/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { authorize } from "@/lib/auth/policy";
import { IMPORTS } from "@/lib/imports/registry";
import { parseImportCsv } from "@/lib/imports/parse-csv";
import { byRow } from "@/lib/imports/rows";
import {
  IMPORT_KINDS,
  IMPORT_MAX_BYTES,
  IMPORT_TTL_HOURS,
  type ImportActor,
  type ImportKind,
  type ImportRow,
  type RowError,
  type RowOutcome,
} from "@/lib/imports/types";

// A CSV import in two steps. Upload: every row is checked (createImportBatch) and the valid
// rows are kept server-side in an ImportBatch owned by the uploader, so the second step trusts
// nothing the browser sends but the batch's id. Import: applyImportRows creates the rows, a
// chunk at a time, each row in its own transaction, safe to repeat.

const invalidFile = (message: string) => new AppError("invalid", message, { file: [message] });

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw invalidFile("The file is not UTF-8 text. Save it from your spreadsheet as “CSV UTF-8”.");
  }
}

export async function createImportBatch(
  kind: ImportKind,
  file: { name: string; bytes: Uint8Array },
  actor: ImportActor,
): Promise<{ id: string }> {
  const spec = IMPORTS[kind];
  authorize(actor, spec.permission);
  if (file.bytes.byteLength === 0) throw invalidFile("Choose a CSV file to upload.");
  if (file.bytes.byteLength > IMPORT_MAX_BYTES)
    throw invalidFile(`The file is larger than ${IMPORT_MAX_BYTES / 1024 / 1024} MB; split it.`);
  const { records, errors: shapeErrors } = parseImportCsv(decodeUtf8(file.bytes), spec.columns);
  const { valid, errors } = await spec.validate(records);
  const allErrors = [...shapeErrors, ...errors].sort(byRow);
  const totalRows = records.length + shapeErrors.length;
  const batch = await prisma.$transaction(async (tx) => {
    const created = await tx.importBatch.create({
      data: {
        kind,
        ownerId: actor.id,
        fileName: file.name.slice(0, 200),
        fileHash: createHash("sha256").update(file.bytes).digest("hex"),
        totalRows,
        rows: valid as never,
        errors: allErrors as never,
        expiresAt: addHours(now(), IMPORT_TTL_HOURS),
        createdAt: now(),
      },
      select: { id: true },
    });
    await recordAudit(
      {
        actor,
        action: "import.validated",
        targetType: "importBatch",
        targetId: created.id,
        details: { kind, rows: totalRows, valid: valid.length, errors: allErrors.length },
      },
      tx,
    );
    return created;
  });
  return batch;
}

// The batch for its owner only (anyone else, or after expiry: not found).
async function ownBatch(batchId: string, actor: ImportActor) {
  const batch = await prisma.importBatch.findUnique({
    where: { id: batchId },
    select: { id: true, kind: true, ownerId: true, expiresAt: true, appliedAt: true },
  });
  if (!batch || batch.ownerId !== actor.id || batch.expiresAt <= now())
    throw new AppError(
      "not_found",
      "That import does not exist or has expired. Upload the file again.",
    );
  const kind = IMPORT_KINDS.find((k) => k === batch.kind);
  if (!kind) throw new AppError("not_found", "That import does not exist.");
  authorize(actor, IMPORTS[kind].permission);
  return { ...batch, kind };
}

export type ImportResult = { created: number; alreadyPresent: number; failed: RowOutcome[] };

export async function getImportBatch(batchId: string, actor: ImportActor) {
  await ownBatch(batchId, actor);
  const batch = await prisma.importBatch.findUniqueOrThrow({ where: { id: batchId } });
  const rows = batch.rows as ImportRow[];
  return {
    id: batch.id,
    kind: batch.kind as ImportKind,
    fileName: batch.fileName,
    totalRows: batch.totalRows,
    valid: rows.length,
    present: rows.filter((r) => r.present).length,
    errors: batch.errors as RowError[],
    result: batch.result as ImportResult | null,
    appliedAt: batch.appliedAt,
    bulkOperationId: batch.bulkOperationId,
    expiresAt: batch.expiresAt,
  };
}

// The valid rows of a batch, in file order, for whoever runs the import.
export async function importBatchRows(batchId: string, actor: ImportActor): Promise<ImportRow[]> {
  await ownBatch(batchId, actor);
  const batch = await prisma.importBatch.findUniqueOrThrow({
    where: { id: batchId },
    select: { rows: true },
  });
  return batch.rows as ImportRow[];
}

// Creates a chunk of a batch's rows: each row in its own transaction (a failed row leaves
// nothing behind), each outcome reported. Safe to call again, and at the same time, for the
// same rows: a row already created reports "already-present".
export async function applyImportRows(
  batchId: string,
  rows: ImportRow[],
  actor: ImportActor,
): Promise<RowOutcome[]> {
  const batch = await ownBatch(batchId, actor);
  const spec = IMPORTS[batch.kind];
  const outcomes: RowOutcome[] = [];
  for (const { row, data } of rows) {
    try {
      outcomes.push({ row, ...(await spec.apply(data, actor)) });
    } catch (error) {
      const message =
        error instanceof AppError
          ? error.message
          : "Something went wrong; this row created nothing.";
      outcomes.push({ row, outcome: "failed", error: message });
    }
  }
  return outcomes;
}

// A batch about to be imported: its kind, its valid rows, and the operation already importing
// it, if a click got there first.
export async function importBatchToStart(batchId: string, actor: ImportActor) {
  const batch = await ownBatch(batchId, actor);
  const row = await prisma.importBatch.findUniqueOrThrow({
    where: { id: batchId },
    select: { bulkOperationId: true },
  });
  return {
    kind: batch.kind,
    startedBy: row.bulkOperationId,
    rows: row.bulkOperationId ? [] : await importBatchRows(batchId, actor),
  };
}

// Written when the import's bulk operation ends: the summary the report shows.
export async function recordImportResult(
  batchId: string,
  result: ImportResult,
  actor: ImportActor,
) {
  await prisma.$transaction(async (tx) => {
    await tx.importBatch.update({ where: { id: batchId }, data: { result: result as never } });
    await recordAudit(
      {
        actor,
        action: "import.applied",
        targetType: "importBatch",
        targetId: batchId,
        details: {
          created: result.created,
          alreadyPresent: result.alreadyPresent,
          failed: result.failed.length,
        },
      },
      tx,
    );
  });
}

// "Import nothing": the batch and its rows are gone.
export async function discardImportBatch(batchId: string, actor: ImportActor): Promise<void> {
  await ownBatch(batchId, actor);
  await prisma.$transaction(async (tx) => {
    await tx.importBatch.delete({ where: { id: batchId } });
    await recordAudit(
      { actor, action: "import.discarded", targetType: "importBatch", targetId: batchId },
      tx,
    );
  });
}
