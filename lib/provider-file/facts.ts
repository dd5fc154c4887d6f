import { prisma } from "@/core/db";
import { now } from "@/core/clock";
import { AppError } from "@/core/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import {
  DEFAULT_PROVIDER_FACTS,
  ZProviderFacts,
  ZProviderFactsOverride,
  type TProviderFacts,
  type TProviderFactsOverride,
} from "@/lib/validation/provider-facts";

// The provider file's stated facts: the install's row (id "install") and one row per server with
// only what differs there. Rows are parsed on every read, so a value no form would accept is
// dropped (the install's or the default value shows instead) rather than published.

type Actor = { id: string; email: string };
const INSTALL = "install";

// Keeps each stored value that is valid on its own.
function validPart(stored: unknown): TProviderFactsOverride {
  const record = stored && typeof stored === "object" ? (stored as Record<string, unknown>) : {};
  const shape = ZProviderFacts.shape;
  const kept: Record<string, unknown> = {};
  for (const key of Object.keys(shape) as (keyof typeof shape)[]) {
    if (record[key] === undefined) continue;
    const parsed = shape[key].safeParse(record[key]);
    if (parsed.success) kept[key] = parsed.data;
  }
  return kept as TProviderFactsOverride;
}

export async function readInstallFacts(): Promise<TProviderFacts> {
  const row = await prisma.providerFacts.findUnique({
    where: { id: INSTALL },
    select: { facts: true },
  });
  return { ...DEFAULT_PROVIDER_FACTS, ...validPart(row?.facts) };
}

export async function readServerFacts(serverId: string): Promise<TProviderFactsOverride> {
  const row = await prisma.providerFacts.findUnique({
    where: { serverId },
    select: { facts: true },
  });
  return validPart(row?.facts);
}

export async function saveInstallFacts(facts: TProviderFacts, actor: Actor): Promise<void> {
  const data = ZProviderFacts.parse(facts);
  await prisma.$transaction(async (tx) => {
    await tx.providerFacts.upsert({
      where: { id: INSTALL },
      create: { id: INSTALL, facts: data, updatedAt: now() },
      update: { facts: data, updatedAt: now() },
    });
    await recordAudit(
      {
        actor,
        action: "provider_file.facts_updated",
        targetType: "settings",
        targetId: "provider-file",
        details: data,
      },
      tx,
    );
  });
}

// Only the facts given are kept for the server; the rest follow the install's.
export async function saveServerFacts(
  serverId: string,
  override: TProviderFactsOverride,
  actor: Actor,
): Promise<void> {
  const data = Object.fromEntries(
    Object.entries(ZProviderFactsOverride.parse(override)).filter(([, v]) => v !== undefined),
  );
  const server = await prisma.server.findUnique({ where: { id: serverId }, select: { id: true } });
  if (!server) throw new AppError("not_found", "That server does not exist.");
  await prisma.$transaction(async (tx) => {
    await tx.providerFacts.upsert({
      where: { serverId },
      create: { serverId, facts: data, updatedAt: now() },
      update: { facts: data, updatedAt: now() },
    });
    await recordAudit(
      {
        actor,
        action: "provider_file.server_facts_updated",
        targetType: "server",
        targetId: serverId,
        details: data,
      },
      tx,
    );
  });
}
