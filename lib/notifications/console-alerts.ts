import "server-only";
import { prisma, sqlOf } from "@/core/db";

// What the console's frame tells a staff member on every page: unread notifications, servers
// whose SSH host key changed (for those who see servers) and enabled servers whose policy
// drifted (for those who see policies). One driver-level statement, since every console page
// view reads it: as two Prisma queries it cost 0.3 ms more CPU per view (bench/README.md).
const READ_ALERTS = `SELECT 'unread' AS "kind", NULL AS "id", NULL AS "name",
    (SELECT count(*) FROM "Notification" n WHERE n."userId" = $1 AND n."readAt" IS NULL) AS "n"
  UNION ALL
  SELECT 'server', s."id", s."name",
    CASE WHEN $2 AND s."sshHostKeyChangedAt" IS NOT NULL THEN 1 ELSE 0 END +
    CASE WHEN $3 AND s."complianceStatus" = 'drifted' AND s."enabled" THEN 2 ELSE 0 END
  FROM "Server" s
  WHERE ($2 AND s."sshHostKeyChangedAt" IS NOT NULL)
    OR ($3 AND s."complianceStatus" = 'drifted' AND s."enabled")`;

const KEY_CHANGED = 1;
const DRIFTED = 2;

type Row = { kind: "unread" | "server"; id: string | null; name: string | null; n: unknown };
type Named = { id: string; name: string };

export type ConsoleAlerts = { unread: number; changedKeys: Named[]; drifted: Named[] };

export async function readConsoleAlerts(
  userId: string,
  show: { changedKeys: boolean; drifted: boolean },
): Promise<ConsoleAlerts> {
  const rows = await sqlOf(prisma).query<Row>(
    READ_ALERTS,
    [userId, show.changedKeys, show.drifted],
    "parley_console_alerts",
  );
  const servers = rows
    .filter((r) => r.kind === "server")
    .map((r) => ({ id: r.id!, name: r.name!, flags: Number(r.n) }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const having = (flag: number) =>
    servers.filter((s) => s.flags & flag).map(({ id, name }) => ({ id, name }));
  return {
    unread: Number(rows.find((r) => r.kind === "unread")?.n ?? 0),
    changedKeys: having(KEY_CHANGED),
    drifted: having(DRIFTED),
  };
}
