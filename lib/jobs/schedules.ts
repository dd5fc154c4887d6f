import { formatDuration, intervalToDuration } from "date-fns";
import type { DB } from "@/core/db";
import { getConfig } from "@/core/config";
import { ensureSchedule } from "@/provisioning/queue/scheduler";
import { serverKind } from "@/provisioning/servers/registry";
import { hasLiveTarget } from "@/lib/evaluation/target";
import type { JobType } from "./job-types";

const HOUR = 3600;
const DAY = 24 * HOUR;
// The live evaluation's period; a report older than twice this is shown as stale.
export const LIVE_EVALUATION_INTERVAL_SECONDS = 6 * HOUR;

type Recurring = {
  name: string;
  jobType: JobType;
  payload: Record<string, unknown>;
  intervalSeconds: number;
  firstRunAt?: Date;
};

const later = (at: Date, seconds: number) => new Date(at.getTime() + seconds * 1000);

// The drift check's period in words ("6 hours"), for the pages that promise it.
export function reconcilePeriod(): string {
  const seconds = getConfig().reconcileIntervalSeconds;
  return formatDuration(intervalToDuration({ start: 0, end: seconds * 1000 }));
}

// Every enabled server gets a recurring dry-run reconciliation (drift shows up in the console),
// and Parley deletes its own old records once a day.
export async function ensureServerSchedules(db: DB, at: Date): Promise<void> {
  const schedules: Recurring[] = [
    {
      name: "billing",
      jobType: "billing.tick",
      payload: {},
      intervalSeconds: HOUR,
      firstRunAt: later(at, HOUR),
    },
    // Nothing is old enough to delete on a fresh install: the first run is a day later.
    {
      name: "housekeeping",
      jobType: "parley.housekeeping",
      payload: {},
      intervalSeconds: DAY,
      firstRunAt: later(at, DAY),
    },
  ];
  const servers = await db.server.findMany({
    where: { enabled: true },
    select: {
      id: true,
      kind: true,
      policyId: true,
      xmppHost: true,
      c2sPort: true,
      c2sDirectTlsPort: true,
      s2sPort: true,
      s2sDirectTlsPort: true,
    },
  });
  for (const server of servers) {
    const payload = { serverId: server.id };
    if (server.policyId) {
      schedules.push({
        name: `verify:${server.id}`,
        jobType: "server.verify",
        payload,
        intervalSeconds: 6 * HOUR,
      });
      // Kinds that cannot expire archives by themselves get Parley's daily purge.
      if (!serverKind(server.kind).expiresArchivesItself) {
        schedules.push({
          name: `purge:${server.id}`,
          jobType: "server.purge",
          payload,
          intervalSeconds: DAY,
        });
      }
    }
    // Servers with an address and a port to probe are evaluated from outside.
    if (hasLiveTarget(server)) {
      schedules.push({
        name: `evaluate:${server.id}`,
        jobType: "server.evaluate",
        payload,
        intervalSeconds: LIVE_EVALUATION_INTERVAL_SECONDS,
      });
    }
    schedules.push({
      name: `reconcile:${server.id}`,
      jobType: "server.reconcile",
      payload: { ...payload, mode: "dry-run" },
      intervalSeconds: getConfig().reconcileIntervalSeconds,
    });
  }
  for (const schedule of schedules) await ensureSchedule(db, schedule, at);
}
