import { prisma } from "@/core/db";
import { buildProviderFile, type BuiltProviderFile } from "./build-provider-file";

// Every server's provider file, for the console's overview (servers are few).
export async function listProviderFiles(): Promise<BuiltProviderFile[]> {
  const servers = await prisma.server.findMany({ orderBy: { name: "asc" }, select: { id: true } });
  const built = await Promise.all(servers.map((s) => buildProviderFile(s.id)));
  return built.filter((b): b is BuiltProviderFile => b !== null);
}

// The address the XMPP Providers project reads the file from.
export const wellKnownUrl = (domain: string) =>
  `https://${domain}/.well-known/xmpp-provider-v2.json`;
