import { prisma } from "@/core/db";
import { now } from "@/core/clock";
import { AppError } from "@/core/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { seal } from "@/core/secrets";
import type { TServerInput } from "@/lib/validation/servers";
import { ensureServerSchedules } from "@/lib/jobs/schedules";

type Actor = { id: string; email: string };

// Secrets arrive in clear from the form and are stored only sealed; a blank field keeps the old value.
function toData(input: TServerInput) {
  return {
    name: input.name,
    kind: input.kind,
    domain: input.domain,
    mucDomain: input.mucDomain ?? null,
    // Prosody is driven through this transport; for ejabberd it is only used for files (policy).
    transport: input.transport,
    includePath: input.includePath ?? null,
    logPath: input.logPath ?? null,
    mainConfigPath: input.mainConfigPath ?? null,
    apiUrl: input.apiUrl ?? null,
    prosodyConfigPath: input.prosodyConfigPath ?? null,
    prosodyctlCommand: input.prosodyctlCommand ?? null,
    sshHost: input.sshHost ?? null,
    sshPort: input.sshPort ?? (input.transport === "SSH" ? 22 : null),
    sshUser: input.sshUser ?? null,
    xmppHost: input.xmppHost ?? null,
    c2sPort: input.c2sPort ?? null,
    c2sDirectTlsPort: input.c2sDirectTlsPort ?? null,
    s2sPort: input.s2sPort ?? null,
    s2sDirectTlsPort: input.s2sDirectTlsPort ?? null,
    ...(input.apiToken ? { apiTokenEnc: seal(input.apiToken) } : {}),
    ...(input.sshPrivateKey ? { sshKeyEnc: seal(input.sshPrivateKey + "\n") } : {}),
    ...(input.sshHostKeySha256
      ? { sshHostKeySha256: input.sshHostKeySha256, sshHostKeyPending: null }
      : {}),
  };
}

export async function createServer(input: TServerInput, actor: Actor) {
  if (await prisma.server.findUnique({ where: { name: input.name }, select: { id: true } })) {
    throw new AppError("conflict", "A server with that name exists.", { name: ["Already used"] });
  }
  if (input.kind === "EJABBERD" && !input.apiToken)
    throw new AppError("invalid", "Enter the API token.", { apiToken: ["Needed for ejabberd"] });
  const server = await prisma.$transaction(async (tx) => {
    if (input.isDefault) await tx.server.updateMany({ data: { isDefault: false } });
    const anyServer = await tx.server.count();
    const created = await tx.server.create({
      data: { ...toData(input), isDefault: input.isDefault || anyServer === 0, createdAt: now() },
      select: { id: true },
    });
    await recordAudit(
      {
        actor,
        action: "server.created",
        targetType: "server",
        targetId: created.id,
        details: { name: input.name, kind: input.kind, domain: input.domain },
      },
      tx,
    );
    return created;
  });
  // Its recurring drift check starts now, not at the next restart.
  await ensureServerSchedules(prisma, now());
  return server;
}

export async function updateServer(id: string, input: TServerInput, actor: Actor) {
  const existing = await prisma.server.findUnique({
    where: { id },
    select: { id: true, domain: true, _count: { select: { accounts: true } } },
  });
  if (!existing) throw new AppError("not_found", "That server does not exist.");
  if (existing.domain !== input.domain && existing._count.accounts > 0) {
    throw new AppError("invalid", "The domain cannot change while accounts live on this server.", {
      domain: ["Has accounts"],
    });
  }
  await prisma.$transaction(async (tx) => {
    if (input.isDefault)
      await tx.server.updateMany({ where: { id: { not: id } }, data: { isDefault: false } });
    await tx.server.update({
      where: { id },
      data: { ...toData(input), isDefault: input.isDefault },
    });
    await recordAudit(
      {
        actor,
        action: "server.updated",
        targetType: "server",
        targetId: id,
        details: { name: input.name },
      },
      tx,
    );
  });
  // Entering the live evaluation's ports starts its schedule now, not at the next restart.
  await ensureServerSchedules(prisma, now());
}

// Staff confirm the SSH host key Parley saw (first contact, or after a change).
export async function approveHostKey(id: string, fingerprint: string, actor: Actor) {
  const server = await prisma.server.findUnique({
    where: { id },
    select: { sshHostKeyPending: true, sshHostKeySha256: true },
  });
  if (!server) throw new AppError("not_found", "That server does not exist.");
  if (!server.sshHostKeyPending || server.sshHostKeyPending !== fingerprint) {
    throw new AppError(
      "conflict",
      "The key waiting for approval changed; test the connection again and compare the fingerprint.",
    );
  }
  await prisma.$transaction(async (tx) => {
    await tx.server.update({
      where: { id },
      data: { sshHostKeySha256: fingerprint, sshHostKeyPending: null, sshHostKeyChangedAt: null },
    });
    await recordAudit(
      {
        actor,
        action: "server.host_key_approved",
        targetType: "server",
        targetId: id,
        details: { previous: server.sshHostKeySha256, approved: fingerprint },
      },
      tx,
    );
  });
}
