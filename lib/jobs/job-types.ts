import { z } from "zod";
import { jobRegistry } from "@/provisioning/queue/registry";

const id = z.string().min(1);
const ZAccountJob = z.object({ accountId: id });
const ZRoomJob = z.object({ roomId: id });
const ZServerJob = z.object({ serverId: id });

export const ZReconcile = ZServerJob.extend({
  mode: z.enum(["dry-run", "repair"]).default("dry-run"),
  // Refuse to repair when more than this share of Parley's objects look missing
  // (a wrong server or an empty test instance, not real drift).
  maxMissingShare: z.number().min(0).max(1).default(0.25),
});

// Every job Parley runs, with the payload it carries. Handlers live with their domain
// (lib/<domain>/jobs.ts) and are put together in lib/jobs/handlers.ts.
export const JOB_TYPES = {
  "account.create": ZAccountJob,
  "account.password": ZAccountJob,
  "account.suspension": ZAccountJob,
  "account.delete": ZAccountJob,
  "account.kick": ZAccountJob,
  "account.recreate": ZAccountJob,
  "account.expire-temporary-password": ZAccountJob,
  "contact.mutual": z.object({ accountId: id, contactAccountId: id }),
  "room.create": ZRoomJob,
  "room.affiliation": ZRoomJob.extend({
    jid: z.string().min(3),
    affiliation: z.enum(["owner", "admin", "member", "outcast", "none"]),
  }),
  "room.configure": ZRoomJob,
  "room.destroy": ZRoomJob,
  "server.reconcile": ZReconcile,
  "server.enforce": ZServerJob,
  "server.verify": ZServerJob,
  "server.purge": ZServerJob,
  // The live evaluation from outside: features as Parley's probe sees them, TLS on each port.
  "server.evaluate": ZServerJob,
  "billing.tick": z.object({}),
  "parley.housekeeping": z.object({}),
  "email.send": z.object({ emailId: id }),
  // A reset asked for by email or chat address; the address is the job's sealed secret.
  "console-reset.request": z.object({}),
  "account-reset.request": z.object({}),
  "bulk.run": z.object({ operationId: id }),
} as const;

export type JobTypes = typeof JOB_TYPES;
export type JobType = keyof JobTypes;

const registry = jobRegistry(JOB_TYPES);

export const enqueue = registry.enqueue;
export const enqueueMany = registry.enqueueMany;
export const jobDefinitions = registry.definitions;

// The options of a job about one account or room: its server, its customer, its history.
export function jobAbout(
  subject: { id: string; serverId: string; customerId: string },
  actor?: { id: string } | null,
) {
  return {
    serverId: subject.serverId,
    customerId: subject.customerId,
    subjectId: subject.id,
    createdById: actor?.id ?? null,
  };
}
