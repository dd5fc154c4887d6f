import type { DB } from "@/core/db";
import { ensureSchedule } from "./queue/scheduler";
import { serverKind } from "./servers/registry";

export const RECONCILE_INTERVAL_SECONDS = 6 * 3600;

// Every enabled server gets a recurring dry-run reconciliation (drift shows up in the console),
// and Parley deletes its own old records once a day.
export async function ensureServerSchedules(db: DB, at: Date): Promise<void> {
  await ensureSchedule(db, { name: "billing", jobType: "billing.tick", payload: {}, intervalSeconds: 3600, firstRunAt: new Date(at.getTime() + 3600_000) }, at);
  // Nothing is old enough to delete on a fresh install: the first run is a day later.
  await ensureSchedule(db, { name: "housekeeping", jobType: "parley.housekeeping", payload: {}, intervalSeconds: 24 * 3600, firstRunAt: new Date(at.getTime() + 24 * 3600_000) }, at);
  const servers = await db.server.findMany({ where: { enabled: true }, select: { id: true, kind: true, policyId: true } });
  for (const server of servers) {
    if (server.policyId) {
      await ensureSchedule(db, { name: `verify:${server.id}`, jobType: "server.verify", payload: { serverId: server.id }, intervalSeconds: 6 * 3600 }, at);
      // Kinds that cannot expire archives by themselves get Parley's daily purge.
      if (!serverKind(server.kind).expiresArchivesItself) await ensureSchedule(db, { name: `purge:${server.id}`, jobType: "server.purge", payload: { serverId: server.id }, intervalSeconds: 24 * 3600 }, at);
    }
    await ensureSchedule(db, {
      name: `reconcile:${server.id}`, jobType: "server.reconcile",
      payload: { serverId: server.id, mode: "dry-run" }, intervalSeconds: RECONCILE_INTERVAL_SECONDS,
    }, at);
  }
}
