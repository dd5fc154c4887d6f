import { getConfig } from "@/core/config";
import { prisma } from "@/core/db";
import { policyFromRecord } from "@/provisioning/compliance/policy";
import { POLICY_SELECT } from "@/lib/policies/queries";
import { serverKind, type RecordKind } from "@/provisioning/servers/registry";
import { readInstallFacts, readServerFacts } from "./facts";
import { composeProviderFile, type Origin, type ProviderField, type ProviderFile } from "./compose";
import { validateProviderFile, type SchemaResult } from "./schema";

// The one place the provider file is built: from the server's live row and policy, and the
// stated facts; then checked against the schema. The route and the console both call this.

export type BuiltProviderFile = {
  server: { id: string; name: string; domain: string; enabled: boolean };
  document: ProviderFile;
  origins: Record<ProviderField, Origin>;
  schema: SchemaResult;
};

const SERVER_SELECT = {
  id: true,
  name: true,
  domain: true,
  kind: true,
  enabled: true,
  policy: { select: POLICY_SELECT },
} as const;

async function build(server: {
  id: string;
  name: string;
  domain: string;
  kind: string;
  enabled: boolean;
  policy: Parameters<typeof policyFromRecord>[0] | null;
}): Promise<BuiltProviderFile> {
  const kind = serverKind(server.kind as RecordKind);
  const policy = server.policy ? policyFromRecord(server.policy) : null;
  const [install, own] = await Promise.all([readInstallFacts(), readServerFacts(server.id)]);
  const { document, origins } = composeProviderFile({
    install,
    server: own,
    policy: policy ? { policy, limits: kind.storageLimits(policy) } : null,
    kindLabel: kind.label,
    publicUrl: getConfig().publicUrl,
  });
  return {
    server: { id: server.id, name: server.name, domain: server.domain, enabled: server.enabled },
    document,
    origins,
    schema: validateProviderFile(document),
  };
}

export async function buildProviderFile(serverId: string): Promise<BuiltProviderFile | null> {
  const server = await prisma.server.findUnique({ where: { id: serverId }, select: SERVER_SELECT });
  return server ? build(server) : null;
}

// The public file of an enabled server's domain. Should two servers share a domain, the default
// one, then the oldest, answers.
export async function providerFileForDomain(domain: string): Promise<BuiltProviderFile | null> {
  const server = await prisma.server.findFirst({
    where: { domain, enabled: true },
    orderBy: [{ isDefault: "desc" }, { createdAt: "asc" }],
    select: SERVER_SELECT,
  });
  return server ? build(server) : null;
}
