import { prisma } from "@/core/db";
import { now } from "@/core/clock";
import { hashToken } from "@/core/tokens";
import { serverKindLabel } from "@/lib/servers/kinds";

// Reads of compliance checks: the reports staff see and the links they share with customers.

export type CheckResult = {
  name: string;
  passed: boolean | null;
  summary: string;
  evidence?: unknown[];
};

export type ReportView = {
  checkId: string;
  server: { name: string; domain: string; kind: string };
  policy: {
    name: string;
    mamRetentionDays: number;
    mucRetentionDays: number;
    uploadExpiryDays: number;
    noIpLogging: boolean;
    maxLogLevel: string;
  } | null;
  status: string;
  checkedAt: Date;
  configHash: string | null;
  checks: CheckResult[];
  features: { xep: string; name: string; offered: boolean | null }[];
};

export async function latestCheckId(serverId: string): Promise<string | null> {
  const check = await prisma.complianceCheck.findFirst({
    where: { serverId, finishedAt: { not: null } },
    orderBy: { startedAt: "desc" },
    select: { id: true },
  });
  return check?.id ?? null;
}

export async function reportView(checkId: string): Promise<ReportView | null> {
  const check = await prisma.complianceCheck.findUnique({
    where: { id: checkId },
    select: {
      id: true,
      status: true,
      finishedAt: true,
      configHash: true,
      checks: true,
      server: {
        select: {
          name: true,
          domain: true,
          kind: true,
          policy: {
            select: {
              name: true,
              mamRetentionDays: true,
              mucRetentionDays: true,
              uploadExpiryDays: true,
              noIpLogging: true,
              maxLogLevel: true,
            },
          },
        },
      },
    },
  });
  if (!check || !check.finishedAt) return null;
  const raw = check.checks as unknown as
    { checks?: CheckResult[]; features?: ReportView["features"] } | CheckResult[];
  const checks = Array.isArray(raw) ? raw : (raw.checks ?? []);
  const features = Array.isArray(raw) ? [] : (raw.features ?? []);
  const p = check.server.policy;
  return {
    checkId: check.id,
    server: {
      name: check.server.name,
      domain: check.server.domain,
      kind: serverKindLabel(check.server.kind),
    },
    policy: p
      ? {
          name: p.name,
          mamRetentionDays: p.mamRetentionDays,
          mucRetentionDays: p.mucRetentionDays,
          uploadExpiryDays: p.uploadExpiryDays,
          noIpLogging: p.noIpLogging,
          maxLogLevel: p.maxLogLevel,
        }
      : null,
    status: check.status,
    checkedAt: check.finishedAt,
    configHash: check.configHash,
    checks,
    features,
  };
}

// The report behind a link shared with customers, or why there is none: an unknown or
// malformed token, a link past its expiry, or one staff withdrew.
export type SharedReport =
  | { state: "ok"; report: ReportView; expiresAt: Date }
  | { state: "unknown" | "expired" | "revoked" };

export async function sharedReport(token: string): Promise<SharedReport> {
  if (!/^[A-Za-z0-9_-]{40,64}$/.test(token)) return { state: "unknown" };
  const link = await prisma.complianceShareLink.findUnique({
    where: { tokenHash: hashToken(token) },
    select: { checkId: true, expiresAt: true, revokedAt: true },
  });
  if (!link) return { state: "unknown" };
  if (link.revokedAt) return { state: "revoked" };
  if (link.expiresAt <= now()) return { state: "expired" };
  const report = await reportView(link.checkId);
  return report ? { state: "ok", report, expiresAt: link.expiresAt } : { state: "unknown" };
}

// The links of a server's reports that still work, for staff to see and withdraw.
export function listActiveShareLinks(serverId: string) {
  return prisma.complianceShareLink.findMany({
    where: { serverId, revokedAt: null, expiresAt: { gt: now() } },
    orderBy: { createdAt: "desc" },
    select: {
      id: true,
      createdAt: true,
      expiresAt: true,
      check: { select: { finishedAt: true } },
    },
  });
}
