import { prisma } from "@/core/db";
import { now } from "@/core/clock";
import { AppError } from "@/core/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import type { TPolicyInput } from "@/lib/validation/policies";
import { enqueue } from "@/lib/jobs/job-types";
import { ensureServerSchedules } from "@/lib/jobs/schedules";
import { nudgeWorker } from "@/provisioning/queue/nudge";

type Actor = { id: string; email: string };

function toData(input: TPolicyInput) {
  return {
    name: input.name,
    mamRetentionDays: input.mamRetentionDays,
    mucRetentionDays: input.mucRetentionDays,
    uploadExpiryDays: input.uploadExpiryDays,
    noIpLogging: input.noIpLogging,
    noPasswordLogging: input.noPasswordLogging,
    maxLogLevel: input.maxLogLevel,
    forbiddenModules: JSON.stringify(input.forbiddenModules),
  };
}

export async function createPolicy(input: TPolicyInput, actor: Actor) {
  if (await prisma.privacyPolicy.findUnique({ where: { name: input.name }, select: { id: true } }))
    throw new AppError("conflict", "A policy with that name exists.", { name: ["Already used"] });
  return prisma.$transaction(async (tx) => {
    const policy = await tx.privacyPolicy.create({
      data: { ...toData(input), createdAt: now() },
      select: { id: true },
    });
    await recordAudit(
      {
        actor,
        action: "policy.created",
        targetType: "policy",
        targetId: policy.id,
        details: toData(input),
      },
      tx,
    );
    return policy;
  });
}

export async function updatePolicy(id: string, input: TPolicyInput, actor: Actor) {
  const existing = await prisma.privacyPolicy.findUnique({ where: { id }, select: { id: true } });
  if (!existing) throw new AppError("not_found", "That policy does not exist.");
  const clash = await prisma.privacyPolicy.findUnique({
    where: { name: input.name },
    select: { id: true },
  });
  if (clash && clash.id !== id)
    throw new AppError("conflict", "A policy with that name exists.", { name: ["Already used"] });
  await prisma.$transaction(async (tx) => {
    await tx.privacyPolicy.update({ where: { id }, data: toData(input) });
    // Servers under this policy must be checked (and enforced) again.
    await tx.server.updateMany({ where: { policyId: id }, data: { complianceStatus: "unknown" } });
    await recordAudit(
      {
        actor,
        action: "policy.updated",
        targetType: "policy",
        targetId: id,
        details: toData(input),
      },
      tx,
    );
  });
}

export async function assignPolicy(serverId: string, policyId: string | null, actor: Actor) {
  const server = await prisma.server.findUnique({ where: { id: serverId }, select: { id: true } });
  if (!server) throw new AppError("not_found", "That server does not exist.");
  if (
    policyId &&
    !(await prisma.privacyPolicy.findUnique({ where: { id: policyId }, select: { id: true } }))
  )
    throw new AppError("invalid", "That policy does not exist.");
  await prisma.$transaction(async (tx) => {
    await tx.server.update({
      where: { id: serverId },
      data: { policyId, complianceStatus: "unknown" },
    });
    await recordAudit(
      {
        actor,
        action: "server.policy_assigned",
        targetType: "server",
        targetId: serverId,
        details: { policyId },
      },
      tx,
    );
  });
  await ensureServerSchedules(prisma, now());
}

// Queues enforcement (write the include file, reload, roll back on failure) or a check.
export async function requestCompliance(
  serverId: string,
  what: "enforce" | "verify" | "purge",
  actor: Actor,
) {
  const server = await prisma.server.findUnique({
    where: { id: serverId },
    select: { id: true, policyId: true, includePath: true },
  });
  if (!server) throw new AppError("not_found", "That server does not exist.");
  if (!server.policyId)
    throw new AppError("invalid", "Assign a privacy policy to this server first.");
  if (!server.includePath)
    throw new AppError("invalid", "Set the include file path in the server's settings first.", {
      includePath: ["Needed"],
    });
  await prisma.$transaction(async (tx) => {
    await enqueue(
      tx,
      `server.${what}`,
      { serverId },
      { serverId, subjectId: serverId, createdById: actor.id, maxAttempts: 3 },
    );
    await recordAudit(
      { actor, action: `server.${what}_requested`, targetType: "server", targetId: serverId },
      tx,
    );
  });
  nudgeWorker();
}
