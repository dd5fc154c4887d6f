import { now } from "@/core/clock";
import { encryptionKey } from "@/core/secrets";
import type { JobTypes } from "@/lib/jobs/job-types";
import type { AdapterSource } from "@/lib/jobs/adapter-source";
import type { JobHandlers } from "@/provisioning/queue/registry";
import { PermanentJobError } from "@/provisioning/queue/types";
import { errorText, evaluateServer, type Evaluation } from "@/provisioning/evaluation/evaluate";
import { noticeExpiringCertificate } from "./certificate-notice";
import { ensureProbeAccount, type ProbeCredentials } from "./probe-account";
import { hasLiveTarget, LIVE_TARGET_SELECT, livePorts, trustedRoots } from "./target";

export type LiveStatus = "ok" | "partial" | "failed";

function statusOf(e: Evaluation): LiveStatus {
  const featuresOk = e.features.error === null;
  const ports = e.security.ports;
  const securityOk = ports.length > 0 && ports.every((p) => p.error === null);
  if (featuresOk && (securityOk || ports.length === 0)) return "ok";
  return featuresOk || ports.some((p) => p.error === null) ? "partial" : "failed";
}

// The scheduled and on-demand live evaluation: prepares Parley's probe account through the
// server's adapter, evaluates from outside, keeps what was observed (failures with their error)
// and tells admins about an expiring certificate.
export function evaluationJobs(
  { adapterFor }: AdapterSource,
  key?: Buffer,
): JobHandlers<JobTypes, "server.evaluate"> {
  return {
    "server.evaluate": {
      // A failure is an observation, recorded with its error; the next run is the retry.
      maxAttempts: 1,
      async handle(ctx) {
        const server = await ctx.db.server.findUnique({
          where: { id: ctx.payload.serverId },
          select: { id: true, name: true, domain: true, mucDomain: true, ...LIVE_TARGET_SELECT },
        });
        if (!server) throw new PermanentJobError("The server was removed.");
        if (!hasLiveTarget(server) || !server.xmppHost)
          return { skipped: "No address and ports are entered for the live evaluation." };
        const startedAt = now();
        let probe: ProbeCredentials | null = null;
        let probeError: string | null = null;
        if (server.c2sPort) {
          try {
            const adapter = await adapterFor(server.id);
            probe = await ensureProbeAccount(ctx.db, server, adapter, key ?? encryptionKey());
          } catch (error) {
            probeError = `Parley's probe account could not be prepared: ${errorText(error)}`;
          }
        }
        let evaluation: Evaluation;
        try {
          evaluation = await evaluateServer({
            host: server.xmppHost,
            domain: server.domain,
            mucDomain: server.mucDomain,
            ports: livePorts(server),
            probe,
            ca: trustedRoots(),
            now: startedAt,
          });
        } catch (error) {
          await ctx.db.liveEvaluation.create({
            data: {
              serverId: server.id,
              startedAt,
              finishedAt: now(),
              status: "failed",
              error: errorText(error),
              features: {},
              security: {},
            },
          });
          return { status: "failed" };
        }
        if (probeError) evaluation.features.error = probeError;
        const status = statusOf(evaluation);
        await ctx.db.liveEvaluation.create({
          data: {
            serverId: server.id,
            startedAt,
            finishedAt: now(),
            status,
            error: evaluation.features.error,
            grade: evaluation.security.grade,
            features: evaluation.features as never,
            security: evaluation.security as never,
          },
        });
        await noticeExpiringCertificate(ctx.db, server, evaluation.certificateNotAfter, now());
        return { status, grade: evaluation.security.grade };
      },
    },
  };
}
