import { z } from "zod";
import { defineJob, PermanentJobError } from "@/provisioning/queue/types";
import { PermanentProvisioningError } from "@/provisioning/servers/adapter";
import type { ProvisioningDeps } from "./deps";

// Puts two accounts of one server in each other's roster (contact invites). Waits, by retrying,
// until both accounts exist on the server.
export function contactJobs(deps: ProvisioningDeps) {
  const mutual = defineJob({
    type: "contact.mutual",
    schema: z.object({ accountId: z.string().min(1), contactAccountId: z.string().min(1) }),
    maxAttempts: 20,
    async handle(ctx) {
      const [a, b] = await Promise.all([
        ctx.db.xmppAccount.findUniqueOrThrow({ where: { id: ctx.payload.accountId } }),
        ctx.db.xmppAccount.findUniqueOrThrow({ where: { id: ctx.payload.contactAccountId } }),
      ]);
      for (const account of [a, b]) {
        if (account.status === "DELETED" || account.status === "DELETING" || account.status === "FAILED") {
          throw new PermanentJobError(`${account.localpart}@${account.domain} no longer exists`);
        }
        if (account.status === "PENDING") throw new Error(`waiting for ${account.localpart}@${account.domain} to be created`);
      }
      if (a.serverId !== b.serverId) throw new PermanentJobError("Both accounts must be on the same server");
      const adapter = await deps.adapterFor(a.serverId);
      await adapter
        .addMutualContact({ localpart: a.localpart, name: a.displayName || a.localpart }, { localpart: b.localpart, name: b.displayName || b.localpart })
        .catch((error) => {
          if (error instanceof PermanentProvisioningError) throw new PermanentJobError(error.message);
          throw error;
        });
      return { contacts: [`${a.localpart}@${a.domain}`, `${b.localpart}@${b.domain}`] };
    },
  });
  return [mutual];
}
