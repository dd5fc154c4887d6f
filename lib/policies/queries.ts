import { prisma } from "@/core/db";

// Reads of privacy policies. Forbidden modules come parsed (`modules`), not as stored JSON.

export function parseModules(stored: string): string[] {
  try {
    const value = JSON.parse(stored);
    return Array.isArray(value) ? value.filter((m): m is string => typeof m === "string") : [];
  } catch {
    return [];
  }
}

export const POLICY_SELECT = {
  id: true,
  name: true,
  mamRetentionDays: true,
  mucRetentionDays: true,
  uploadExpiryDays: true,
  noIpLogging: true,
  noPasswordLogging: true,
  maxLogLevel: true,
  forbiddenModules: true,
} as const;

function withModules<T extends { forbiddenModules: string }>({ forbiddenModules, ...rest }: T) {
  return { ...rest, modules: parseModules(forbiddenModules) };
}

// Every policy by name, with the servers that keep it.
export async function listPolicies() {
  const rows = await prisma.privacyPolicy.findMany({
    orderBy: { name: "asc" },
    select: {
      ...POLICY_SELECT,
      servers: { select: { id: true, name: true, complianceStatus: true } },
    },
  });
  return rows.map(withModules);
}

export async function getPolicy(id: string) {
  const policy = await prisma.privacyPolicy.findUnique({ where: { id }, select: POLICY_SELECT });
  return policy ? withModules(policy) : null;
}

// For the policy picker on a server's page.
export function listPolicyChoices() {
  return prisma.privacyPolicy.findMany({
    orderBy: { name: "asc" },
    select: { id: true, name: true },
  });
}

// What the public privacy page states: every policy with the enabled servers that keep it.
export async function listPublishedPolicies() {
  const rows = await prisma.privacyPolicy.findMany({
    orderBy: { name: "asc" },
    select: {
      ...POLICY_SELECT,
      servers: {
        where: { enabled: true },
        select: { domain: true, complianceStatus: true, complianceCheckedAt: true },
      },
    },
  });
  return rows.map(withModules);
}
