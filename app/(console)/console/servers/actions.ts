"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { defineAction } from "@/lib/actions/define-action";
import { requires } from "@/lib/auth/require";
import { approveHostKey, createServer, updateServer } from "@/lib/servers/servers";
import { testServerConnection } from "@/lib/servers/test-connection";
import { requestReconcile } from "@/lib/servers/reconcile";
import { ZServerInput } from "@/lib/validation/servers";
import { ZId } from "@/lib/validation/common";

const admin = requires("servers.write");

export const createServerAction = defineAction({
  schema: ZServerInput,
  authorize: admin,
  async run(input, user) {
    const server = await createServer(input, user);
    revalidatePath("/console/servers");
    redirect(`/console/servers/${server.id}?created=1`);
  },
});

export const updateServerAction = defineAction({
  schema: z.intersection(ZServerInput, z.object({ id: ZId })),
  authorize: admin,
  async run(input, user) {
    await updateServer(input.id, input, user);
    revalidatePath(`/console/servers/${input.id}`);
    return { ok: true, message: "Saved. Test the connection to check the new settings." };
  },
});

export const testConnectionAction = defineAction({
  schema: z.object({ id: ZId }),
  authorize: admin,
  async run(input, user) {
    const result = await testServerConnection(input.id, user);
    revalidatePath(`/console/servers/${input.id}`);
    return result.ok
      ? { ok: true, message: result.message }
      : { ok: false, code: "error", message: result.message };
  },
});

export const approveHostKeyAction = defineAction({
  schema: z.object({ id: ZId, fingerprint: z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/) }),
  authorize: admin,
  async run(input, user) {
    await approveHostKey(input.id, input.fingerprint, user);
    revalidatePath(`/console/servers/${input.id}`);
    return { ok: true, message: "Host key approved. Test the connection again." };
  },
});

export const reconcileServerAction = defineAction({
  schema: z.object({ id: ZId, mode: z.enum(["dry-run", "repair"]) }),
  authorize: admin,
  async run(input, user) {
    await requestReconcile(input.id, input.mode, user);
    revalidatePath(`/console/servers/${input.id}`);
    return {
      ok: true,
      message:
        input.mode === "repair"
          ? "Repair queued: missing accounts and rooms will be recreated; extras are only listed."
          : "Comparison queued; the report appears here in a moment.",
    };
  },
});
