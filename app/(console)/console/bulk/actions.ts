"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { defineAction } from "@/lib/actions/define-action";
import { requires } from "@/lib/auth/require";
import { ZStartBulk, cancelBulk, retryBulk, startBulk } from "@/lib/bulk/start-bulk";

// Console view is the gate here; each bulk function then checks the action's own permission
// for the caller (lib/bulk/start-bulk.ts assertMayRunBulk).

export const startBulkAction = defineAction({
  schema: ZStartBulk,
  authorize: requires("console.view"),
  async run(input, user) {
    const { id } = await startBulk(input, user);
    redirect(`/console/bulk/${id}`);
  },
});

const ZOperation = z.object({ operationId: z.string().min(1).max(64) });

export const cancelBulkAction = defineAction({
  schema: ZOperation,
  authorize: requires("console.view"),
  async run({ operationId }, user) {
    await cancelBulk(operationId, user);
    revalidatePath(`/console/bulk/${operationId}`);
    return { ok: true, message: "Stopping: rows not yet started will be skipped." };
  },
});

export const retryBulkAction = defineAction({
  schema: ZOperation,
  authorize: requires("console.view"),
  async run({ operationId }, user) {
    const { id } = await retryBulk(operationId, user);
    redirect(`/console/bulk/${id}`);
  },
});
