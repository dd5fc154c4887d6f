import { now } from "@/core/clock";
import type { DB } from "@/core/db";
import { encryptionKey } from "@/core/secrets";
import { recordAudit } from "@/lib/audit/record-audit";
import { enqueue, type JobTypes } from "@/lib/jobs/job-types";
import { notifyRole } from "@/lib/notifications/notify";
import type { JobHandlers } from "@/provisioning/queue/registry";
import { PermanentJobError } from "@/provisioning/queue/types";
import { createAdapter, openCompliance } from "@/provisioning/servers/registry";
import { enforcePolicy } from "@/provisioning/compliance/enforce";
import { verifyServer } from "@/provisioning/compliance/verify";
import { policyFromRecord } from "@/provisioning/compliance/policy";
import { offeredFeatures } from "@/provisioning/compliance/features";

async function loadServer(db: DB, serverId: string) {
  const server = await db.server.findUnique({ where: { id: serverId }, include: { policy: true } });
  if (!server) throw new PermanentJobError("The server was removed.");
  if (!server.policy)
    throw new PermanentJobError(`${server.name} has no privacy policy; assign one first.`);
  if (!server.includePath)
    throw new PermanentJobError(
      `${server.name} has no include file path; set it on the server's page.`,
    );
  return { ...server, policy: server.policy, includePath: server.includePath };
}

type ComplianceJob = "server.enforce" | "server.verify" | "server.purge";
type Handlers = JobHandlers<JobTypes, ComplianceJob>;

// Enforce, verify and purge ask the server's kind (provisioning/servers/registry.ts) for
// everything kind-specific; this file only records what happened.
export function complianceJobs(key: Buffer = encryptionKey()): Handlers {
  const enforce: Handlers["server.enforce"] = {
    maxAttempts: 3,
    async handle(ctx) {
      const server = await loadServer(ctx.db, ctx.payload.serverId);
      const policy = policyFromRecord(server.policy);
      const a = openCompliance(server, server.includePath, key);
      const adapter = createAdapter(server, key);
      try {
        const result = await enforcePolicy({
          executor: a.executor,
          compliance: a.compliance,
          includePath: server.includePath,
          policy,
          healthCheck: () => adapter.health(),
        });
        await recordAudit(
          {
            actor: null,
            action: result.ok ? "server.policy_enforced" : "server.policy_enforce_failed",
            targetType: "server",
            targetId: server.id,
            details: {
              policy: server.policy.name,
              changed: result.changed,
              rolledBack: result.rolledBack,
              hash: result.currentHash,
              message: result.message,
            },
          },
          ctx.db,
        );
        // A fresh check shows whether the server now keeps the policy.
        await enqueue(
          ctx.db,
          "server.verify",
          { serverId: server.id },
          { serverId: server.id, subjectId: server.id },
        );
        if (!result.ok)
          throw new PermanentJobError(`Enforcement failed and was rolled back: ${result.message}`);
        return result;
      } finally {
        await adapter.close();
        await a.close();
      }
    },
  };

  const verify: Handlers["server.verify"] = {
    maxAttempts: 3,
    async handle(ctx) {
      const server = await loadServer(ctx.db, ctx.payload.serverId);
      const a = openCompliance(server, server.includePath, key);
      const startedAt = now();
      try {
        const result = await verifyServer({
          compliance: a.compliance,
          executor: a.executor,
          policy: policyFromRecord(server.policy),
          includePath: server.includePath,
          logPath: server.logPath,
          hmacKey: key,
          logSince: server.logScanOffset ?? undefined,
          now: startedAt,
        });
        const features = offeredFeatures(a.kind.name, await a.compliance.loadedModules());
        await ctx.db.complianceCheck.create({
          data: {
            serverId: server.id,
            startedAt,
            finishedAt: now(),
            status: result.status,
            configHash: result.configHash,
            checks: { checks: result.checks, features } as never,
          },
        });
        await ctx.db.server.update({
          where: { id: server.id },
          data: {
            complianceStatus: result.status,
            complianceCheckedAt: now(),
            ...(result.logSize !== null ? { logScanOffset: result.logSize } : {}),
          },
        });
        if (result.status === "drifted" && server.complianceStatus !== "drifted") {
          await recordAudit(
            {
              actor: null,
              action: "server.compliance_drifted",
              targetType: "server",
              targetId: server.id,
              details: {
                failed: result.checks.filter((c) => c.passed === false).map((c) => c.name),
              },
            },
            ctx.db,
          );
          await notifyRole("ADMIN", {
            title: `${server.name} no longer keeps its privacy policy`,
            body: `Failed checks: ${result.checks
              .filter((c) => c.passed === false)
              .map((c) => c.name)
              .join(", ")}. The report shows the redacted evidence.`,
            link: `/console/servers/${server.id}/compliance`,
            email: true,
          });
        }
        return {
          status: result.status,
          failed: result.checks.filter((c) => c.passed === false).map((c) => c.name),
        };
      } finally {
        await a.close();
      }
    },
  };

  // Deletes what is older than the policy now: scheduled daily for kinds that cannot expire
  // archives themselves (lib/jobs/schedules.ts), and the console's "Purge old messages".
  const purge: Handlers["server.purge"] = {
    maxAttempts: 3,
    async handle(ctx) {
      const server = await loadServer(ctx.db, ctx.payload.serverId);
      const a = openCompliance(server, server.includePath, key);
      try {
        if (!a.compliance.purgeArchives)
          throw new PermanentJobError(
            `${server.name} expires its archives itself; there is nothing to purge.`,
          );
        const result = await a.compliance.purgeArchives(server.policy);
        await ctx.db.server.update({ where: { id: server.id }, data: { lastPurgeAt: now() } });
        return result;
      } finally {
        await a.close();
      }
    },
  };

  return { "server.enforce": enforce, "server.verify": verify, "server.purge": purge };
}
