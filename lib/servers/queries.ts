import { prisma } from "@/core/db";
import { encryptionKey } from "@/core/secrets";
import { CAPABILITIES, type Capability } from "@/provisioning/servers/adapter";
import { capabilitiesOf } from "@/provisioning/servers/registry";
import { SERVER_RECORD_SELECT } from "@/provisioning/servers/kind";
import type { DriftReport } from "@/lib/servers/reconcile-job";

// Reads for the server pages. Credentials stay sealed: only the columns an adapter needs are
// ever loaded with them (SERVER_RECORD_SELECT), and only here, in lib/accounts/queries.ts and
// by the worker's adapter pool.

export function listServers() {
  return prisma.server.findMany({
    orderBy: { name: "asc" },
    select: {
      id: true,
      name: true,
      kind: true,
      domain: true,
      transport: true,
      enabled: true,
      isDefault: true,
      status: true,
      lastCheckedAt: true,
    },
  });
}

// Every server by name, for the lists' server filter (no counts: those scan big tables).
export function listServerNames() {
  return prisma.server.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true } });
}

export function countServers(): Promise<number> {
  return prisma.server.count();
}

// Enabled servers accounts can be created on, the default first.
export function listEnabledServers() {
  return prisma.server.findMany({
    where: { enabled: true },
    orderBy: [{ isDefault: "desc" }, { name: "asc" }],
    select: { id: true, name: true, domain: true },
  });
}

// Enabled servers with a group chat (MUC) service, the default first.
export function listRoomServers() {
  return prisma.server.findMany({
    where: { enabled: true, mucDomain: { not: null } },
    orderBy: [{ isDefault: "desc" }, { name: "asc" }],
    select: { id: true, name: true, mucDomain: true },
  });
}

export function getServerSummary(id: string) {
  return prisma.server.findUnique({ where: { id }, select: { id: true, name: true } });
}

// Everything the server page and its settings form show; no sealed credentials.
export function getServerDetail(id: string) {
  return prisma.server.findUnique({
    where: { id },
    select: {
      id: true,
      name: true,
      kind: true,
      domain: true,
      mucDomain: true,
      transport: true,
      apiUrl: true,
      prosodyConfigPath: true,
      prosodyctlCommand: true,
      sshHost: true,
      sshPort: true,
      sshUser: true,
      isDefault: true,
      includePath: true,
      logPath: true,
      mainConfigPath: true,
      xmppHost: true,
      c2sPort: true,
      c2sDirectTlsPort: true,
      s2sPort: true,
      s2sDirectTlsPort: true,
      status: true,
      lastCheckedAt: true,
      lastError: true,
      complianceStatus: true,
      sshHostKeyPending: true,
      sshHostKeySha256: true,
      sshHostKeyChangedAt: true,
      policy: { select: { id: true, name: true, mamRetentionDays: true } },
    },
  });
}

export type ServerCapability = { capability: Capability; offered: boolean };

// What Parley can do on a configured server, without contacting it (adapters connect lazily).
export async function listServerCapabilities(serverId: string): Promise<ServerCapability[]> {
  const server = await prisma.server.findUnique({
    where: { id: serverId },
    select: SERVER_RECORD_SELECT,
  });
  const offered = server ? await capabilitiesOf(server, encryptionKey()) : [];
  return CAPABILITIES.map((capability) => ({ capability, offered: offered.includes(capability) }));
}

// The latest finished reconciliation of a server, for its page.
export async function latestDriftReport(serverId: string) {
  const job = await prisma.job.findFirst({
    where: { type: "server.reconcile", serverId, status: "SUCCEEDED" },
    orderBy: { finishedAt: "desc" },
    select: { finishedAt: true, result: true },
  });
  // A job that finished without a report (an older format, seeded data) shows none.
  const report = job?.result as DriftReport | null | undefined;
  return report && Array.isArray(report.missingAccounts) && Array.isArray(report.unknownAccounts)
    ? { at: job!.finishedAt, report }
    : null;
}
