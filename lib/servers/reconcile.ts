import { prisma } from "@/core/db";
import { AppError } from "@/core/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { enqueue } from "@/lib/jobs/job-types";
import { nudgeWorker } from "@/provisioning/queue/nudge";

export async function requestReconcile(
  serverId: string,
  mode: "dry-run" | "repair",
  actor: { id: string; email: string },
) {
  const server = await prisma.server.findUnique({ where: { id: serverId }, select: { id: true } });
  if (!server) throw new AppError("not_found", "That server does not exist.");
  await prisma.$transaction(async (tx) => {
    await enqueue(
      tx,
      "server.reconcile",
      { serverId, mode },
      { serverId, subjectId: serverId, createdById: actor.id, maxAttempts: 3 },
    );
    await recordAudit(
      {
        actor,
        action: mode === "repair" ? "server.repair_requested" : "server.reconcile_requested",
        targetType: "server",
        targetId: serverId,
      },
      tx,
    );
  });
  nudgeWorker();
}
