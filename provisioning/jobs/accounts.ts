import { randomBytes } from "node:crypto";
import { z } from "zod";
import { now } from "@/core/clock";
import { recordAudit } from "@/lib/audit/record-audit";
import { defineJob, PermanentJobError, type JobContext } from "@/provisioning/queue/types";
import { PermanentProvisioningError } from "@/provisioning/servers/adapter";
import { parseReasons } from "@/provisioning/suspension";
import type { ProvisioningDeps } from "./deps";

const ZAccountJob = z.object({ accountId: z.string().min(1) });

function permanent(error: unknown): never {
  if (error instanceof PermanentProvisioningError) throw new PermanentJobError(error.message);
  throw error;
}

export function accountJobs(deps: ProvisioningDeps) {
  // The account a job is about and the adapter of its server.
  async function target(ctx: JobContext<z.infer<typeof ZAccountJob>>) {
    const account = await ctx.db.xmppAccount.findUniqueOrThrow({ where: { id: ctx.payload.accountId } });
    return { account, adapter: await deps.adapterFor(account.serverId), address: `${account.localpart}@${account.domain}` };
  }

  const create = defineJob({
    type: "account.create",
    schema: ZAccountJob,
    async handle(ctx) {
      const account = await ctx.db.xmppAccount.findUnique({ where: { id: ctx.payload.accountId } });
      if (!account || account.status === "DELETED" || account.status === "DELETING") return { skipped: "account no longer wanted" };
      if (!ctx.secret) throw new PermanentJobError("The password for this account was already wiped; set a new one from the console.");
      const password = ctx.secret;
      const adapter = await deps.adapterFor(account.serverId);
      await ctx.step("register", async () => {
        const outcome = await adapter.createAccount(account.localpart, password).catch(permanent);
        // "exists" after a retried register that timed out: ours only if our password works.
        if (outcome === "exists" && !(await adapter.checkPassword(account.localpart, password))) {
          await ctx.db.xmppAccount.update({ where: { id: account.id }, data: { status: "FAILED" } });
          throw new PermanentJobError(`${account.localpart}@${account.domain} already exists on the server and is not Parley's; choose another name.`);
        }
        return outcome;
      });
      const reasons = parseReasons(account.suspensionReasons);
      if (reasons.length) await ctx.step("suspend", () => adapter.suspend(account.localpart, reasons.join(", ")));
      await ctx.db.xmppAccount.update({ where: { id: account.id }, data: { status: reasons.length ? "SUSPENDED" : "ACTIVE" } });
      return { address: `${account.localpart}@${account.domain}` };
    },
  });

  const setPassword = defineJob({
    type: "account.password",
    schema: ZAccountJob,
    async handle(ctx) {
      if (!ctx.secret) throw new PermanentJobError("The new password was already wiped; set it again from the console.");
      const { account, adapter, address } = await target(ctx);
      await adapter.setPassword(account.localpart, ctx.secret).catch(permanent);
      return { address };
    },
  });

  // Brings the server in line with the account's reasons: suspended iff any reason is left.
  const syncSuspension = defineJob({
    type: "account.suspension",
    schema: ZAccountJob,
    async handle(ctx) {
      const { account, adapter } = await target(ctx);
      if (account.status === "DELETED" || account.status === "PENDING") return { skipped: account.status };
      const reasons = parseReasons(account.suspensionReasons);
      if (reasons.length) await adapter.suspend(account.localpart, reasons.join(", ")).catch(permanent);
      else await adapter.unsuspend(account.localpart).catch(permanent);
      await ctx.db.xmppAccount.updateMany({ where: { id: account.id, status: { in: ["ACTIVE", "SUSPENDED"] } }, data: { status: reasons.length ? "SUSPENDED" : "ACTIVE" } });
      return { suspended: reasons.length > 0, reasons };
    },
  });

  const remove = defineJob({
    type: "account.delete",
    schema: ZAccountJob,
    async handle(ctx) {
      const { account, adapter, address } = await target(ctx);
      await ctx.step("unregister", () => adapter.deleteAccount(account.localpart).catch(permanent));
      await ctx.db.$transaction(async (tx) => {
        await tx.xmppAccount.update({ where: { id: account.id }, data: { status: "DELETED", deletedAt: now() } });
        await tx.usernameTombstone.upsert({
          where: { localpart_domain: { localpart: account.localpart, domain: account.domain } },
          create: { localpart: account.localpart, domain: account.domain, customerId: account.customerId, deletedAt: now() },
          update: {},
        });
      });
      return { deleted: address };
    },
  });

  const kick = defineJob({
    type: "account.kick",
    schema: ZAccountJob,
    async handle(ctx) {
      const { account, adapter } = await target(ctx);
      return { sessionsEnded: await adapter.kickSessions(account.localpart, "Signed out by your provider") };
    },
  });

  // Recreates an account that vanished from its server with a random password; the
  // owner sets a new one with a reset link.
  const recreate = defineJob({
    type: "account.recreate",
    schema: ZAccountJob,
    async handle(ctx) {
      const { account, adapter, address } = await target(ctx);
      const outcome = await ctx.step("register", () => adapter.createAccount(account.localpart, randomBytes(24).toString("base64url")).catch(permanent));
      const reasons = parseReasons(account.suspensionReasons);
      if (reasons.length) await ctx.step("suspend", () => adapter.suspend(account.localpart, reasons.join(", ")));
      await recordAudit({ actor: null, action: "account.recreated", targetType: "xmppAccount", targetId: account.id, customerId: account.customerId, details: { outcome } }, ctx.db);
      return { recreated: address, outcome };
    },
  });

  // A temporary password that still works when it expires is replaced by a random one.
  const expireTemporary = defineJob({
    type: "account.expire-temporary-password",
    schema: ZAccountJob,
    async handle(ctx) {
      if (!ctx.secret) throw new PermanentJobError("The temporary password was already wiped.");
      const { account, adapter } = await target(ctx);
      if (account.status === "DELETED" || account.status === "DELETING") return { skipped: account.status };
      if (!(await adapter.checkPassword(account.localpart, ctx.secret))) return { replaced: false, reason: "changed since" };
      await adapter.setPassword(account.localpart, randomBytes(24).toString("base64url")).catch(permanent);
      await recordAudit({ actor: null, action: "account.temporary_password_expired", targetType: "xmppAccount", targetId: account.id, customerId: account.customerId }, ctx.db);
      return { replaced: true };
    },
  });

  return [create, setPassword, syncSuspension, remove, kick, recreate, expireTemporary];
}
