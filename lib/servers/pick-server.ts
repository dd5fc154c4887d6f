import "server-only";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/auth/errors";

// The server a new account or room goes to: the one asked for, else the default, else the only one.
export async function pickServerFor(serverId?: string) {
  const select = { id: true, domain: true, mucDomain: true, kind: true, enabled: true } as const;
  if (serverId) {
    const server = await prisma.server.findUnique({ where: { id: serverId }, select });
    if (!server) throw new AppError("invalid", "That server does not exist.", { serverId: ["Choose a server"] });
    if (!server.enabled) throw new AppError("invalid", "That server is disabled.", { serverId: ["Disabled"] });
    return server;
  }
  const servers = await prisma.server.findMany({ where: { enabled: true }, orderBy: [{ isDefault: "desc" }, { createdAt: "asc" }], select: { ...select, isDefault: true } });
  if (servers.length === 0) throw new AppError("invalid", "No server is connected yet. Add one under Servers first.");
  return servers[0];
}
