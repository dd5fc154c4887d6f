import { prisma } from "@/core/db";
import { COUNTS_MAX_AGE_MS, readFigure } from "@/lib/stats/cached-figure";

// Chat accounts and rooms per server, deleted ones left out: one walk of each table's
// (serverId, status) index, which costs tens of milliseconds at 300,000 accounts.
export type ServerUsage = Record<string, { accounts: number; rooms: number }>;

export async function countServerUsage(): Promise<ServerUsage> {
  const [accounts, rooms] = await Promise.all([
    // By server and status, not filtered: a plain walk of the index.
    prisma.xmppAccount.groupBy({ by: ["serverId", "status"], _count: { _all: true } }),
    prisma.room.groupBy({
      by: ["serverId"],
      where: { status: { not: "DELETED" } },
      _count: { _all: true },
    }),
  ]);
  const usage: ServerUsage = {};
  const of = (id: string) => (usage[id] ??= { accounts: 0, rooms: 0 });
  for (const g of accounts) if (g.status !== "DELETED") of(g.serverId).accounts += g._count._all;
  for (const g of rooms) of(g.serverId).rooms = g._count._all;
  return usage;
}

export function readServerUsage() {
  return readFigure({
    key: "usage:servers",
    maxAgeMs: COUNTS_MAX_AGE_MS,
    compute: countServerUsage,
    revive: (json) => json as ServerUsage,
  });
}
