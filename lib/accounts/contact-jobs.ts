import type { JobTypes } from "@/lib/jobs/job-types";
import type { AdapterSource } from "@/lib/jobs/adapter-source";
import type { JobHandlers } from "@/provisioning/queue/registry";
import { PermanentJobError } from "@/provisioning/queue/types";

const GONE = new Set(["DELETED", "DELETING", "FAILED"]);

// Puts two accounts of one server in each other's roster (contact invites). Waits, by retrying,
// until both accounts exist on the server.
export function contactJobs({
  adapterFor,
}: AdapterSource): JobHandlers<JobTypes, "contact.mutual"> {
  return {
    "contact.mutual": {
      maxAttempts: 20,
      async handle(ctx) {
        const [a, b] = await Promise.all(
          [ctx.payload.accountId, ctx.payload.contactAccountId].map((id) =>
            ctx.db.xmppAccount.findUniqueOrThrow({ where: { id } }),
          ),
        );
        for (const account of [a, b]) {
          const address = `${account.localpart}@${account.domain}`;
          if (GONE.has(account.status)) throw new PermanentJobError(`${address} no longer exists`);
          if (account.status === "PENDING") throw new Error(`waiting for ${address} to be created`);
        }
        if (a.serverId !== b.serverId)
          throw new PermanentJobError("Both accounts must be on the same server");
        const adapter = await adapterFor(a.serverId);
        await adapter.addMutualContact(
          { localpart: a.localpart, name: a.displayName || a.localpart },
          { localpart: b.localpart, name: b.displayName || b.localpart },
        );
        return { contacts: [`${a.localpart}@${a.domain}`, `${b.localpart}@${b.domain}`] };
      },
    },
  };
}
