"use server";
import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { defineAction } from "@/lib/actions/define-action";
import { requires } from "@/lib/auth/require";
import { createImportBatch, discardImportBatch } from "@/lib/imports/batches";
import { startImport } from "@/lib/bulk/start-import";
import { IMPORTS } from "@/lib/imports/registry";
import type { ImportKind } from "@/lib/imports/types";
import { ZId } from "@/lib/validation/common";

// Each kind's three steps, each checking that kind's permission before anything is read.
const ZUpload = z.object({
  file: z.instanceof(File, { message: "Choose a CSV file to upload." }),
});
const ZBatch = z.object({ batchId: ZId });

const upload = (kind: ImportKind) =>
  defineAction({
    schema: ZUpload,
    authorize: requires(IMPORTS[kind].permission),
    async run({ file }, user) {
      const bytes = new Uint8Array(await file.arrayBuffer());
      const batch = await createImportBatch(kind, { name: file.name || "upload.csv", bytes }, user);
      redirect(`/console/import/${batch.id}`);
    },
  });

const apply = (kind: ImportKind) =>
  defineAction({
    schema: ZBatch,
    authorize: requires(IMPORTS[kind].permission),
    async run({ batchId }, user) {
      const { id } = await startImport(batchId, user);
      revalidatePath(`/console/${kind}`);
      redirect(`/console/bulk/${id}`);
    },
  });

const discard = (kind: ImportKind) =>
  defineAction({
    schema: ZBatch,
    authorize: requires(IMPORTS[kind].permission),
    async run({ batchId }, user) {
      await discardImportBatch(batchId, user);
      redirect(`/console/import?kind=${kind}&discarded=1`);
    },
  });

export const uploadCustomersAction = upload("customers");
export const applyCustomersAction = apply("customers");
export const discardCustomersAction = discard("customers");
export const uploadAccountsAction = upload("accounts");
export const applyAccountsAction = apply("accounts");
export const discardAccountsAction = discard("accounts");
