import { randomBytes } from "node:crypto";
import { now } from "@/core/clock";
import { recordAudit } from "@/lib/audit/record-audit";
import type { JobTypes } from "@/lib/jobs/job-types";
import type { JobContext } from "@/provisioning/queue/types";
import { PermanentJobError } from "@/provisioning/queue/types";
import type { JobHandlers } from "@/provisioning/queue/registry";
import type { AdapterSource } from "@/lib/jobs/adapter-source";
import { parseReasons } from "@/provisioning/suspension";
import {
  ACCOUNT_STATUS,
  JOB_ACCOUNT,
  jobAccountOrThrow,
  readJobAccount,
  setJobAccountStatus,
} from "./job-account";

type AccountJob =
  | "account.create"
  | "account.password"
  | "account.suspension"
  | "account.delete"
  | "account.kick"
  | "account.recreate"
  | "account.expire-temporary-password";

const randomPassword = () => randomBytes(24).toString("base64url");

// The server side of every account change; the account row's status follows the server.
export function accountJobs({ adapterFor }: AdapterSource): JobHandlers<JobTypes, AccountJob> {
  // The account a job is about and the adapter of its server.
  async function target(ctx: JobContext<{ accountId: string }>) {
    const account = await jobAccountOrThrow(ctx);
    const adapter = await adapterFor(account.serverId);
    return { account, adapter, address: `${account.localpart}@${account.domain}` };
  }

  return {
    "account.create": {
      read: JOB_ACCOUNT,
      async handle(ctx) {
        const account = await readJobAccount(ctx);
        if (!account || account.status === "DELETED" || account.status === "DELETING") {
          return { skipped: "account no longer wanted" };
        }
        if (!ctx.secret) {
          throw new PermanentJobError(
            "The password for this account was already wiped; set a new one from the console.",
          );
        }
        const password = ctx.secret;
        const address = `${account.localpart}@${account.domain}`;
        const adapter = await adapterFor(account.serverId);
        await ctx.step("register", async () => {
          const outcome = await adapter.createAccount(account.localpart, password);
          // "exists" after a retried register that timed out: ours only if our password works.
          if (outcome === "exists" && !(await adapter.checkPassword(account.localpart, password))) {
            await setJobAccountStatus(ctx.db, account.id, "FAILED");
            throw new PermanentJobError(
              `${address} already exists on the server and is not Parley's; choose another name.`,
            );
          }
          return outcome;
        });
        const reasons = parseReasons(account.suspensionReasons);
        if (reasons.length) {
          await ctx.step("suspend", () => adapter.suspend(account.localpart, reasons.join(", ")));
        }
        ctx.onSuccess(ACCOUNT_STATUS, {
          id: account.id,
          status: reasons.length ? "SUSPENDED" : "ACTIVE",
          updatedAt: now(),
        });
        return { address };
      },
    },

    "account.password": {
      read: JOB_ACCOUNT,
      async handle(ctx) {
        if (!ctx.secret) {
          throw new PermanentJobError(
            "The new password was already wiped; set it again from the console.",
          );
        }
        const { account, adapter, address } = await target(ctx);
        await adapter.setPassword(account.localpart, ctx.secret);
        return { address };
      },
    },

    // Brings the server in line with the account's reasons: suspended iff any reason is left.
    "account.suspension": {
      read: JOB_ACCOUNT,
      async handle(ctx) {
        const { account, adapter } = await target(ctx);
        if (account.status === "DELETED" || account.status === "PENDING")
          return { skipped: account.status };
        const reasons = parseReasons(account.suspensionReasons);
        if (reasons.length) await adapter.suspend(account.localpart, reasons.join(", "));
        else await adapter.unsuspend(account.localpart);
        await setJobAccountStatus(ctx.db, account.id, reasons.length ? "SUSPENDED" : "ACTIVE", [
          "ACTIVE",
          "SUSPENDED",
        ]);
        return { suspended: reasons.length > 0, reasons };
      },
    },

    "account.delete": {
      read: JOB_ACCOUNT,
      async handle(ctx) {
        const { account, adapter, address } = await target(ctx);
        await ctx.step("unregister", () => adapter.deleteAccount(account.localpart));
        const { localpart, domain, customerId } = account;
        await ctx.db.$transaction(async (tx) => {
          await tx.xmppAccount.update({
            where: { id: account.id },
            data: { status: "DELETED", deletedAt: now() },
          });
          await tx.usernameTombstone.upsert({
            where: { localpart_domain: { localpart, domain } },
            create: { localpart, domain, customerId, deletedAt: now() },
            update: {},
          });
        });
        return { deleted: address };
      },
    },

    "account.kick": {
      read: JOB_ACCOUNT,
      async handle(ctx) {
        const { account, adapter } = await target(ctx);
        const sessionsEnded = await adapter.kickSessions(
          account.localpart,
          "Signed out by your provider",
        );
        return { sessionsEnded };
      },
    },

    // Recreates an account that vanished from its server with a random password; the
    // owner sets a new one with a reset link.
    "account.recreate": {
      read: JOB_ACCOUNT,
      async handle(ctx) {
        const { account, adapter, address } = await target(ctx);
        const outcome = await ctx.step("register", () =>
          adapter.createAccount(account.localpart, randomPassword()),
        );
        const reasons = parseReasons(account.suspensionReasons);
        if (reasons.length) {
          await ctx.step("suspend", () => adapter.suspend(account.localpart, reasons.join(", ")));
        }
        await recordAudit(
          {
            actor: null,
            action: "account.recreated",
            targetType: "xmppAccount",
            targetId: account.id,
            customerId: account.customerId,
            details: { outcome },
          },
          ctx.db,
        );
        return { recreated: address, outcome };
      },
    },

    // A temporary password that still works when it expires is replaced by a random one.
    "account.expire-temporary-password": {
      read: JOB_ACCOUNT,
      async handle(ctx) {
        if (!ctx.secret) throw new PermanentJobError("The temporary password was already wiped.");
        const { account, adapter } = await target(ctx);
        if (account.status === "DELETED" || account.status === "DELETING")
          return { skipped: account.status };
        if (!(await adapter.checkPassword(account.localpart, ctx.secret))) {
          return { replaced: false, reason: "changed since" };
        }
        await adapter.setPassword(account.localpart, randomPassword());
        await recordAudit(
          {
            actor: null,
            action: "account.temporary_password_expired",
            targetType: "xmppAccount",
            targetId: account.id,
            customerId: account.customerId,
          },
          ctx.db,
        );
        return { replaced: true };
      },
    },
  };
}
