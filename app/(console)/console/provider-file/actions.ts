"use server";
import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/actions/define-action";
import { requires } from "@/lib/auth/require";
import { saveInstallFacts, saveServerFacts } from "@/lib/provider-file/facts";
import { ZInstallFactsForm, ZServerFactsForm } from "@/lib/validation/provider-facts";

const admin = requires("servers.write");

export const saveProviderFactsAction = defineAction({
  schema: ZInstallFactsForm,
  authorize: admin,
  async run(input, user) {
    await saveInstallFacts(input, user);
    revalidatePath("/console/provider-file");
    return { ok: true, message: "Saved. Every server's provider file now states these facts." };
  },
});

export const saveServerProviderFactsAction = defineAction({
  schema: ZServerFactsForm,
  authorize: admin,
  async run({ serverId, ...facts }, user) {
    await saveServerFacts(serverId, facts, user);
    revalidatePath(`/console/servers/${serverId}/provider-file`);
    return { ok: true, message: "Saved. Empty fields follow the install's facts." };
  },
});
