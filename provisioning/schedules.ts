import type { DB } from "@/lib/db";
import { ensureSchedule } from "./queue/scheduler";

export const RECONCILE_INTERVAL_SECONDS = 6 * 3600;

// Every enabled server gets a recurring dry-run reconciliation (drift shows up in the console).
export async function ensureServerSchedules(db: DB, at: Date): Promise<void> {
  const servers = await db.server.findMany({ where: { enabled: true }, select: { id: true } });
  for (const server of servers) {
    await ensureSchedule(db, {
      name: `reconcile:${server.id}`, jobType: "server.reconcile",
      payload: { serverId: server.id, mode: "dry-run" }, intervalSeconds: RECONCILE_INTERVAL_SECONDS,
    }, at);
  }
}
