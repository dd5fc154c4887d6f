import { z } from "zod";
import { recordAudit } from "@/lib/audit/record-audit";
import { defineJob } from "@/provisioning/queue/types";
import { enqueue } from "@/provisioning/queue/enqueue";
import type { ProvisioningDeps } from "./deps";

export type DriftReport = {
  serverId: string;
  mode: "dry-run" | "repair";
  checkedAccounts: number;
  checkedRooms: number;
  // In Parley, missing on the server: recreated in repair mode.
  missingAccounts: string[];
  missingRooms: string[];
  // On the server, unknown to Parley: only ever flagged, never deleted.
  unknownAccounts: string[];
  unknownRooms: string[];
  // Affiliations Parley set that the server no longer has.
  affiliationDrift: { room: string; jid: string; expected: string; actual: string }[];
  aborted: string | null;
  repairsQueued: number;
};

export const ZReconcile = z.object({
  serverId: z.string().min(1),
  mode: z.enum(["dry-run", "repair"]).default("dry-run"),
  // Refuse to repair when more than this share of Parley's objects look missing
  // (a wrong server or an empty test instance, not real drift).
  maxMissingShare: z.number().min(0).max(1).default(0.25),
});

export function reconcileJobs(deps: ProvisioningDeps) {
  const reconcile = defineJob({
    type: "server.reconcile",
    schema: ZReconcile,
    maxAttempts: 3,
    async handle(ctx): Promise<DriftReport> {
      const { serverId, mode, maxMissingShare } = ctx.payload;
      const adapter = await deps.adapterFor(serverId);
      const [serverAccounts, serverRooms, accounts, rooms] = await Promise.all([
        adapter.listAccounts(),
        adapter.capabilities.has("rooms.list") ? adapter.listRooms() : Promise.resolve([] as string[]),
        ctx.db.xmppAccount.findMany({ where: { serverId, status: { not: "PENDING" } }, select: { id: true, localpart: true, status: true, customerId: true } }),
        ctx.db.room.findMany({ where: { serverId, status: { not: "PENDING" } }, select: { id: true, name: true, status: true, affiliations: true } }),
      ]);
      const onServer = new Set(serverAccounts);
      const roomsOnServer = new Set(serverRooms);
      const live = accounts.filter((a) => a.status === "ACTIVE" || a.status === "SUSPENDED");
      const liveRooms = rooms.filter((r) => r.status === "ACTIVE");
      const known = new Set(live.map((a) => a.localpart));
      const knownRooms = new Set(liveRooms.map((r) => r.name));

      const missing = live.filter((a) => !onServer.has(a.localpart));
      const missingRooms = liveRooms.filter((r) => !roomsOnServer.has(r.name));
      const report: DriftReport = {
        serverId, mode, checkedAccounts: live.length, checkedRooms: liveRooms.length,
        missingAccounts: missing.map((a) => a.localpart).sort(),
        missingRooms: missingRooms.map((r) => r.name).sort(),
        unknownAccounts: serverAccounts.filter((l) => !known.has(l)).sort(),
        unknownRooms: serverRooms.filter((r) => !knownRooms.has(r)).sort(),
        affiliationDrift: [],
        aborted: null,
        repairsQueued: 0,
      };
      for (const room of liveRooms.filter((r) => roomsOnServer.has(r.name) && r.affiliations.length)) {
        const state = await adapter.readRoom(room.name);
        for (const a of room.affiliations) {
          const actual = state?.affiliations[a.jid] ?? "none";
          if (actual !== a.affiliation) report.affiliationDrift.push({ room: room.name, jid: a.jid, expected: a.affiliation, actual });
        }
      }

      const total = live.length + liveRooms.length;
      const share = total ? (missing.length + missingRooms.length) / total : 0;
      if (mode === "repair" && share > maxMissingShare && missing.length + missingRooms.length > 2) {
        report.aborted = `${Math.round(share * 100)}% of Parley's accounts and rooms look missing (limit ${Math.round(maxMissingShare * 100)}%): nothing was repaired. Check that this is the right server.`;
      } else if (mode === "repair") {
        const stamp = `${ctx.jobId}`;
        for (const a of missing) {
          const { created } = await enqueue(ctx.db, { type: "account.recreate", payload: { accountId: a.id }, idempotencyKey: `recreate:${a.id}:${stamp}`, serverId, customerId: a.customerId, subjectId: a.id });
          if (created) report.repairsQueued++;
        }
        for (const r of missingRooms) {
          const { created } = await enqueue(ctx.db, { type: "room.create", payload: { roomId: r.id }, idempotencyKey: `recreate-room:${r.id}:${stamp}`, serverId, subjectId: r.id });
          if (created) report.repairsQueued++;
        }
        for (const d of report.affiliationDrift) {
          const room = liveRooms.find((r) => r.name === d.room)!;
          const { created } = await enqueue(ctx.db, { type: "room.affiliation", payload: { roomId: room.id, jid: d.jid, affiliation: d.expected }, idempotencyKey: `fix-aff:${room.id}:${d.jid}:${stamp}`, serverId });
          if (created) report.repairsQueued++;
        }
      }
      const drifted = report.missingAccounts.length + report.missingRooms.length + report.unknownAccounts.length + report.unknownRooms.length + report.affiliationDrift.length > 0;
      if (drifted) {
        await recordAudit({ actor: null, action: mode === "repair" ? "server.drift_repaired" : "server.drift_found", targetType: "server", targetId: serverId, details: report as unknown as Record<string, unknown> }, ctx.db);
      }
      return report;
    },
  });
  return [reconcile];
}
