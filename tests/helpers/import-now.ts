import { startImport } from "@/lib/bulk/start-import";
import { runBulk } from "@/lib/bulk/run-bulk";
import { getImportBatch } from "@/lib/imports/batches";
import type { ImportActor } from "@/lib/imports/types";

// An import as the console runs it (a bulk operation), worked through in this process, and
// the summary the report page shows.
export async function importBatchNow(batchId: string, actor: ImportActor) {
  const { id } = await startImport(batchId, actor);
  await runBulk(id, new AbortController().signal);
  return (await getImportBatch(batchId, actor)).result;
}
