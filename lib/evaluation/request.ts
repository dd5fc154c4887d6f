import { prisma } from "@/core/db";
import { AppError } from "@/core/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { enqueue } from "@/lib/jobs/job-types";
import { nudgeWorker } from "@/provisioning/queue/nudge";
import { hasLiveTarget, LIVE_TARGET_SELECT } from "./target";

// "Check live now" on a server's compliance page: the same job as the schedule, queued now.
export async function requestEvaluation(serverId: string, actor: { id: string; email: string }) {
  const server = await prisma.server.findUnique({
    where: { id: serverId },
    select: { id: true, ...LIVE_TARGET_SELECT },
  });
  if (!server) throw new AppError("not_found", "That server does not exist.");
  if (!hasLiveTarget(server))
    throw new AppError(
      "invalid",
      "Enter the address and at least one port for the live evaluation in the server's settings first.",
    );
  await prisma.$transaction(async (tx) => {
    await enqueue(
      tx,
      "server.evaluate",
      { serverId },
      { serverId, subjectId: serverId, createdById: actor.id },
    );
    await recordAudit(
      { actor, action: "server.evaluate_requested", targetType: "server", targetId: serverId },
      tx,
    );
  });
  nudgeWorker();
}
