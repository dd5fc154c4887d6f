import { getConfig } from "@/core/config";
import { isPostgresUrl, type DB } from "@/core/db";

// The reads behind reconciling one server, shaped for 100,000 accounts: the live localparts
// come back as one joined string (row by row, the driver and the client spent about three
// quarters of a 100,000-account reconcile turning rows into objects); ids only for the few
// that need a repair. Localparts never contain a newline (provisioning/names.ts).
export async function liveLocalparts(db: DB, serverId: string): Promise<string[]> {
  const rows = isPostgresUrl(getConfig().databaseUrl)
    ? await db.$queryRaw<{ names: string | null }[]>`SELECT string_agg("localpart", E'\n') AS names
        FROM "XmppAccount" WHERE "serverId" = ${serverId} AND "status" IN ('ACTIVE', 'SUSPENDED')`
    : await db.$queryRaw<{ names: string | null }[]>`SELECT group_concat("localpart", char(10))
        AS names FROM "XmppAccount" WHERE "serverId" = ${serverId}
        AND "status" IN ('ACTIVE', 'SUSPENDED')`;
  const names = rows[0]?.names;
  return names ? names.split("\n") : [];
}

const CHUNK = 5_000;

export async function liveAccountsNamed(db: DB, serverId: string, localparts: string[]) {
  const found: { id: string; localpart: string; customerId: string }[] = [];
  for (let i = 0; i < localparts.length; i += CHUNK) {
    found.push(
      ...(await db.xmppAccount.findMany({
        where: {
          serverId,
          status: { in: ["ACTIVE", "SUSPENDED"] },
          localpart: { in: localparts.slice(i, i + CHUNK) },
        },
        select: { id: true, localpart: true, customerId: true },
      })),
    );
  }
  return found;
}
