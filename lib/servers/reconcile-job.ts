import { recordAudit } from "@/lib/audit/record-audit";
import { enqueue, type JobTypes } from "@/lib/jobs/job-types";
import type { AdapterSource } from "@/lib/jobs/adapter-source";
import type { JobHandlers } from "@/provisioning/queue/registry";

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

const percent = (share: number) => `${Math.round(share * 100)}%`;

// Compares a server with Parley's records; in repair mode queues what is missing.
export function reconcileJobs({
  adapterFor,
}: AdapterSource): JobHandlers<JobTypes, "server.reconcile"> {
  return {
    "server.reconcile": {
      maxAttempts: 3,
      async handle(ctx): Promise<DriftReport> {
        const { serverId, mode, maxMissingShare } = ctx.payload;
        const adapter = await adapterFor(serverId);
        const listsRooms = adapter.capabilities.has("rooms.list");
        const [serverAccounts, serverRooms, accounts, rooms] = await Promise.all([
          adapter.listAccounts(),
          listsRooms ? adapter.listRooms() : Promise.resolve([] as string[]),
          ctx.db.xmppAccount.findMany({
            where: { serverId, status: { not: "PENDING" } },
            select: { id: true, localpart: true, status: true, customerId: true },
          }),
          ctx.db.room.findMany({
            where: { serverId, status: { not: "PENDING" } },
            select: { id: true, name: true, status: true, affiliations: true },
          }),
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
          serverId,
          mode,
          checkedAccounts: live.length,
          checkedRooms: liveRooms.length,
          missingAccounts: missing.map((a) => a.localpart).sort(),
          missingRooms: missingRooms.map((r) => r.name).sort(),
          unknownAccounts: serverAccounts.filter((l) => !known.has(l)).sort(),
          unknownRooms: serverRooms.filter((r) => !knownRooms.has(r)).sort(),
          affiliationDrift: [],
          aborted: null,
          repairsQueued: 0,
        };
        for (const room of liveRooms.filter(
          (r) => roomsOnServer.has(r.name) && r.affiliations.length,
        )) {
          const state = await adapter.readRoom(room.name);
          for (const a of room.affiliations) {
            const actual = state?.affiliations[a.jid] ?? "none";
            if (actual !== a.affiliation) {
              report.affiliationDrift.push({
                room: room.name,
                jid: a.jid,
                expected: a.affiliation,
                actual,
              });
            }
          }
        }

        const total = live.length + liveRooms.length;
        const missingCount = missing.length + missingRooms.length;
        const share = total ? missingCount / total : 0;
        if (mode === "repair" && share > maxMissingShare && missingCount > 2) {
          report.aborted =
            `${percent(share)} of Parley's accounts and rooms look missing ` +
            `(limit ${percent(maxMissingShare)}): nothing was repaired. Check that this is the right server.`;
        } else if (mode === "repair") {
          const stamp = ctx.jobId;
          const count = ({ created }: { created: boolean }) => {
            if (created) report.repairsQueued++;
          };
          for (const a of missing) {
            count(
              await enqueue(
                ctx.db,
                "account.recreate",
                { accountId: a.id },
                {
                  idempotencyKey: `recreate:${a.id}:${stamp}`,
                  serverId,
                  customerId: a.customerId,
                  subjectId: a.id,
                },
              ),
            );
          }
          for (const r of missingRooms) {
            count(
              await enqueue(
                ctx.db,
                "room.create",
                { roomId: r.id },
                {
                  idempotencyKey: `recreate-room:${r.id}:${stamp}`,
                  serverId,
                  subjectId: r.id,
                },
              ),
            );
          }
          for (const d of report.affiliationDrift) {
            const room = liveRooms.find((r) => r.name === d.room)!;
            const affiliation = d.expected as "owner" | "admin" | "member" | "outcast" | "none";
            count(
              await enqueue(
                ctx.db,
                "room.affiliation",
                { roomId: room.id, jid: d.jid, affiliation },
                {
                  idempotencyKey: `fix-aff:${room.id}:${d.jid}:${stamp}`,
                  serverId,
                },
              ),
            );
          }
        }
        const drifted =
          report.missingAccounts.length +
            report.missingRooms.length +
            report.unknownAccounts.length +
            report.unknownRooms.length +
            report.affiliationDrift.length >
          0;
        if (drifted) {
          await recordAudit(
            {
              actor: null,
              action: mode === "repair" ? "server.drift_repaired" : "server.drift_found",
              targetType: "server",
              targetId: serverId,
              details: report as unknown as Record<string, unknown>,
            },
            ctx.db,
          );
        }
        return report;
      },
    },
  };
}
