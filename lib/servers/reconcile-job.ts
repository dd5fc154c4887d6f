import { recordAudit } from "@/lib/audit/record-audit";
import { enqueueMany, type JobTypes } from "@/lib/jobs/job-types";
import type { AdapterSource } from "@/lib/jobs/adapter-source";
import type { JobHandlers } from "@/provisioning/queue/registry";
import { liveAccountsNamed, liveLocalparts } from "@/lib/servers/reconcile-reads";

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
        const [serverAccounts, serverRooms, live, liveRooms, probe] = await Promise.all([
          adapter.listAccounts(),
          listsRooms ? adapter.listRooms() : Promise.resolve([] as string[]),
          liveLocalparts(ctx.db, serverId),
          // A server that cannot list rooms has none to compare (no MUC service).
          listsRooms
            ? ctx.db.room.findMany({
                where: { serverId, status: "ACTIVE" },
                select: { id: true, name: true, status: true, affiliations: true },
              })
            : [],
          // Parley's own probe account (live evaluation) is known, never a customer's.
          ctx.db.probeAccount.findUnique({ where: { serverId }, select: { localpart: true } }),
        ]);
        const onServer = new Set(serverAccounts);
        const roomsOnServer = new Set(serverRooms);
        const known = new Set(live);
        const knownRooms = new Set(liveRooms.map((r) => r.name));

        const missingNames = live.filter((l) => !onServer.has(l)).sort();
        const missingRooms = liveRooms.filter((r) => !roomsOnServer.has(r.name));
        const report: DriftReport = {
          serverId,
          mode,
          checkedAccounts: live.length,
          checkedRooms: liveRooms.length,
          missingAccounts: missingNames,
          missingRooms: missingRooms.map((r) => r.name).sort(),
          unknownAccounts: serverAccounts
            .filter((l) => !known.has(l) && l !== probe?.localpart)
            .sort(),
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
        const missingCount = missingNames.length + missingRooms.length;
        const share = total ? missingCount / total : 0;
        if (mode === "repair" && share > maxMissingShare && missingCount > 2) {
          report.aborted =
            `${percent(share)} of Parley's accounts and rooms look missing ` +
            `(limit ${percent(maxMissingShare)}): nothing was repaired. Check that this is the right server.`;
        } else if (mode === "repair") {
          const stamp = ctx.jobId;
          const accounts = await liveAccountsNamed(ctx.db, serverId, missingNames);
          const roomIds = new Map(liveRooms.map((r) => [r.name, r.id]));
          report.repairsQueued =
            (await enqueueMany(
              ctx.db,
              "account.recreate",
              accounts.map((a) => ({
                payload: { accountId: a.id },
                options: {
                  idempotencyKey: `recreate:${a.id}:${stamp}`,
                  serverId,
                  customerId: a.customerId,
                  subjectId: a.id,
                },
              })),
            )) +
            (await enqueueMany(
              ctx.db,
              "room.create",
              missingRooms.map((r) => ({
                payload: { roomId: r.id },
                options: {
                  idempotencyKey: `recreate-room:${r.id}:${stamp}`,
                  serverId,
                  subjectId: r.id,
                },
              })),
            )) +
            (await enqueueMany(
              ctx.db,
              "room.affiliation",
              report.affiliationDrift.map((d) => {
                const roomId = roomIds.get(d.room)!;
                const affiliation = d.expected as "owner" | "admin" | "member" | "outcast" | "none";
                return {
                  payload: { roomId, jid: d.jid, affiliation },
                  options: { idempotencyKey: `fix-aff:${roomId}:${d.jid}:${stamp}`, serverId },
                };
              }),
            ));
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
