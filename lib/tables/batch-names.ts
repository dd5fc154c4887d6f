import { prisma } from "@/core/db";
import { readInChunks } from "@/lib/tables/chunks";

// The names an exported batch refers to (its rows' customers, servers, creators), read apart
// from the rows: relation selects through Prisma's SQLite driver grew the process by about
// 3 MB per 1,000 rows, never given back (bench/csv.ts).

type Named = { id: string; name: string };

function namesBy(read: (ids: string[]) => Promise<Named[]>) {
  return async (ids: (string | null)[]): Promise<Map<string, string>> => {
    const wanted = [...new Set(ids.filter((id): id is string => Boolean(id)))];
    const rows = await readInChunks(wanted, read);
    return new Map(rows.map((r) => [r.id, r.name]));
  };
}

export const customerNames = namesBy((ids) =>
  prisma.customer.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } }),
);

export const userNames = namesBy((ids) =>
  prisma.user.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } }),
);

// Servers are few: all of them.
export async function serverNames(): Promise<Map<string, string>> {
  const servers = await prisma.server.findMany({ select: { id: true, name: true } });
  return new Map(servers.map((s) => [s.id, s.name]));
}
