import { z } from "zod";
import { now } from "@/core/clock";
import { recordAudit } from "@/lib/audit/record-audit";
import type { DB } from "@/core/db";
import { defineJob, PermanentJobError } from "@/provisioning/queue/types";
import { enqueue } from "@/provisioning/queue/enqueue";
import { createAdapter, createEjabberdApi, createExecutor, createProsodyShell } from "@/provisioning/servers/registry";
import { ejabberdReloader, enforcePolicy, prosodyReloader, readRemoteFile } from "@/provisioning/compliance/enforce";
import { verifyServer, ejabberdModulesInYaml } from "@/provisioning/compliance/verify";
import { purgeArchives, purgeProsodyArchives } from "@/provisioning/servers/ejabberd/purge";
import { policyFromRecord, bareModuleName } from "@/provisioning/compliance/policy";
import { offeredFeatures } from "@/provisioning/compliance/features";
import type { CommandExecutor } from "@/provisioning/transport/executor";
import { luaString } from "@/provisioning/servers/prosody/lua";

const ZServerJob = z.object({ serverId: z.string().min(1) });

async function loadServer(db: DB, serverId: string) {
  const server = await db.server.findUnique({ where: { id: serverId }, include: { policy: true } });
  if (!server) throw new PermanentJobError("The server was removed.");
  if (!server.policy) throw new PermanentJobError(`${server.name} has no privacy policy; assign one first.`);
  if (!server.includePath) throw new PermanentJobError(`${server.name} has no include file path; set it on the server's page.`);
  return { ...server, policy: server.policy, includePath: server.includePath };
}

type Loaded = Awaited<ReturnType<typeof loadServer>>;

// Everything a compliance job needs to reach one server, closed together afterwards.
function access(server: Loaded, key: Buffer) {
  const executor = createExecutor(server, key);
  const prosody = server.kind === "PROSODY" ? createProsodyShell(server, executor) : null;
  const api = server.kind === "EJABBERD" ? createEjabberdApi(server, key) : null;
  return {
    executor, prosody, api,
    async close() {
      api?.close();
      await executor.close();
    },
  };
}

async function loadedModules(server: Loaded, executor: CommandExecutor, shell: ReturnType<typeof createProsodyShell> | null): Promise<string[] | null> {
  try {
    if (server.kind === "PROSODY" && shell) {
      const hosts = [server.domain, ...(server.mucDomain ? [server.mucDomain] : [])];
      const names: string[] = [];
      for (const host of hosts) {
        const reply = await shell.run(`module:list(${luaString(host)})`);
        names.push(...reply.lines.map((l) => bareModuleName(l.trim())).filter(Boolean));
      }
      if (server.mucDomain) names.push("muc");
      return names;
    }
    const texts = await Promise.all([server.mainConfigPath, server.includePath].filter((p): p is string => Boolean(p)).map((p) => readRemoteFile(executor, p)));
    return texts.flatMap((t) => (t ? ejabberdModulesInYaml(t) : []));
  } catch {
    return null;
  }
}

export function complianceJobs(key: Buffer) {
  const enforce = defineJob({
    type: "server.enforce",
    schema: ZServerJob,
    maxAttempts: 3,
    async handle(ctx) {
      const server = await loadServer(ctx.db, ctx.payload.serverId);
      const policy = policyFromRecord(server.policy);
      const a = access(server, key);
      const adapter = createAdapter(server, key);
      try {
        const result = await enforcePolicy({
          executor: a.executor, kind: server.kind === "EJABBERD" ? "ejabberd" : "prosody", includePath: server.includePath, policy,
          renderOptions: { prosody: { logPath: server.logPath ?? "/var/log/prosody/prosody.log" } },
          reload: a.api ? ejabberdReloader(a.api) : prosodyReloader({ shell: a.prosody!, host: server.domain, mucHost: server.mucDomain, forbiddenModules: policy.forbiddenModules }),
          healthCheck: () => adapter.health(),
        });
        await recordAudit({
          actor: null, action: result.ok ? "server.policy_enforced" : "server.policy_enforce_failed", targetType: "server", targetId: server.id,
          details: { policy: server.policy.name, changed: result.changed, rolledBack: result.rolledBack, hash: result.currentHash, message: result.message },
        }, ctx.db);
        // A fresh check shows whether the server now keeps the policy.
        await enqueue(ctx.db, { type: "server.verify", payload: { serverId: server.id }, serverId: server.id, subjectId: server.id });
        if (!result.ok) throw new PermanentJobError(`Enforcement failed and was rolled back: ${result.message}`);
        return result;
      } finally {
        await adapter.close();
        await a.close();
      }
    },
  });

  const verify = defineJob({
    type: "server.verify",
    schema: ZServerJob,
    maxAttempts: 3,
    async handle(ctx) {
      const server = await loadServer(ctx.db, ctx.payload.serverId);
      const a = access(server, key);
      const startedAt = now();
      try {
        const kind = server.kind === "EJABBERD" ? "ejabberd" : "prosody";
        const result = await verifyServer({
          kind, executor: a.executor, policy: policyFromRecord(server.policy), includePath: server.includePath, logPath: server.logPath, hmacKey: key,
          renderOptions: { prosody: { logPath: server.logPath ?? "/var/log/prosody/prosody.log" } },
          logSince: server.logScanOffset ?? undefined, now: startedAt,
          ...(a.prosody ? { prosody: { shell: a.prosody, host: server.domain, mucHost: server.mucDomain } } : {}),
          ejabberd: { mainConfigPath: server.mainConfigPath, lastPurgeAt: server.lastPurgeAt },
        });
        const features = offeredFeatures(kind, await loadedModules(server, a.executor, a.prosody));
        await ctx.db.complianceCheck.create({
          data: { serverId: server.id, startedAt, finishedAt: now(), status: result.status, configHash: result.configHash, checks: { checks: result.checks, features } as never },
        });
        await ctx.db.server.update({
          where: { id: server.id },
          data: { complianceStatus: result.status, complianceCheckedAt: now(), ...(result.logSize !== null ? { logScanOffset: result.logSize } : {}) },
        });
        if (result.status === "drifted" && server.complianceStatus !== "drifted") {
          await recordAudit({ actor: null, action: "server.compliance_drifted", targetType: "server", targetId: server.id, details: { failed: result.checks.filter((c) => c.passed === false).map((c) => c.name) } }, ctx.db);
          const { notifyRole } = await import("@/lib/notifications/notify");
          await notifyRole("ADMIN", {
            title: `${server.name} no longer keeps its privacy policy`,
            body: `Failed checks: ${result.checks.filter((c) => c.passed === false).map((c) => c.name).join(", ")}. The report shows the redacted evidence.`,
            link: `/console/servers/${server.id}/compliance`, email: true,
          });
        }
        return { status: result.status, failed: result.checks.filter((c) => c.passed === false).map((c) => c.name) };
      } finally {
        await a.close();
      }
    },
  });

  // ejabberd 23.01 cannot expire archives itself: Parley deletes what is older than the policy.
  const purge = defineJob({
    type: "server.purge",
    schema: ZServerJob,
    maxAttempts: 3,
    async handle(ctx) {
      const server = await loadServer(ctx.db, ctx.payload.serverId);
      const a = access(server, key);
      try {
        const policy = server.policy;
        const result = a.api
          ? {
              chat: await purgeArchives({ api: a.api, host: server.domain, days: policy.mamRetentionDays, type: "chat" }),
              groupchat: await purgeArchives({ api: a.api, host: server.domain, days: policy.mucRetentionDays, type: "groupchat", offline: false }),
            }
          : await purgeProsodyArchives({ shell: a.prosody!, host: server.domain, mucHost: server.mucDomain });
        await ctx.db.server.update({ where: { id: server.id }, data: { lastPurgeAt: now() } });
        return result;
      } finally {
        await a.close();
      }
    },
  });

  return [enforce, verify, purge];
}
