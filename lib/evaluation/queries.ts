import { prisma } from "@/core/db";
import { now } from "@/core/clock";
import { LIVE_EVALUATION_INTERVAL_SECONDS } from "@/lib/jobs/schedules";
import type { Evaluation, EvaluationPorts } from "@/provisioning/evaluation/evaluate";
import type { LiveStatus } from "./jobs";
import { LIVE_TARGET_SELECT, livePorts, hasLiveTarget } from "./target";

// What the compliance page shows of the live evaluation: where Parley probes, its probe
// account, whether a run is waiting, and the latest observation (stale when older than two
// periods of the schedule, failed parts with their error).

export type LiveObservation = {
  at: Date;
  status: LiveStatus;
  stale: boolean;
  error: string | null;
  grade: string | null;
  features: Partial<Evaluation["features"]>;
  ports: Evaluation["security"]["ports"];
};

export type LiveReport = {
  host: string | null;
  ports: EvaluationPorts;
  configured: boolean;
  probe: { address: string; createdAt: Date } | null;
  pending: boolean;
  latest: LiveObservation | null;
};

export async function liveReport(serverId: string): Promise<LiveReport | null> {
  const server = await prisma.server.findUnique({
    where: { id: serverId },
    select: {
      ...LIVE_TARGET_SELECT,
      probeAccount: { select: { localpart: true, domain: true, createdAt: true } },
    },
  });
  if (!server) return null;
  const [row, pending] = await Promise.all([
    prisma.liveEvaluation.findFirst({
      where: { serverId, finishedAt: { not: null } },
      orderBy: { startedAt: "desc" },
    }),
    prisma.job.count({
      where: { serverId, type: "server.evaluate", status: { in: ["PENDING", "RUNNING"] } },
    }),
  ]);
  const staleBefore = now().getTime() - 2 * LIVE_EVALUATION_INTERVAL_SECONDS * 1000;
  const security = (row?.security ?? {}) as Partial<Evaluation["security"]>;
  return {
    host: server.xmppHost,
    ports: livePorts(server),
    configured: hasLiveTarget(server),
    probe: server.probeAccount
      ? {
          address: `${server.probeAccount.localpart}@${server.probeAccount.domain}`,
          createdAt: server.probeAccount.createdAt,
        }
      : null,
    pending: pending > 0,
    latest: row?.finishedAt
      ? {
          at: row.finishedAt,
          status: row.status as LiveStatus,
          stale: row.finishedAt.getTime() < staleBefore,
          error: row.error,
          grade: row.grade,
          features: (row.features ?? {}) as Partial<Evaluation["features"]>,
          ports: security.ports ?? [],
        }
      : null,
  };
}

// The probe account of a server, for the server page's label.
export function probeAccountOf(serverId: string) {
  return prisma.probeAccount.findUnique({
    where: { serverId },
    select: { localpart: true, domain: true, createdAt: true },
  });
}
