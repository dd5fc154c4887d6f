import { prisma, type DB } from "@/core/db";
import { now } from "@/core/clock";
import { recordAudit } from "@/lib/audit/record-audit";
import { notifyRole } from "@/lib/notifications/notify";
import { HostKeyMismatchError, UnknownHostKeyError } from "@/provisioning/transport/ssh-executor";

type HostKeyProblem = "unknown" | "changed" | null;

// Keeps the fingerprint an SSH server presented for staff to approve. A changed key is a
// security event: it is audited and raises the console banner until someone decides.
export async function recordHostKeyProblem(
  db: DB,
  serverId: string,
  error: unknown,
): Promise<HostKeyProblem> {
  if (!(error instanceof UnknownHostKeyError || error instanceof HostKeyMismatchError)) return null;
  const server = await db.server.findUnique({
    where: { id: serverId },
    select: { sshHostKeySha256: true, sshHostKeyPending: true },
  });
  if (!server) return null;
  // The error came from a connection built before staff pinned or approved a key (perhaps in
  // another process): no problem to report, and the job's retry uses the key now pinned.
  const pinnedWhenBuilt = error instanceof HostKeyMismatchError ? error.expected : null;
  if (server.sshHostKeySha256 !== pinnedWhenBuilt) return null;
  if (error instanceof UnknownHostKeyError) {
    await db.server.update({
      where: { id: serverId },
      data: { sshHostKeyPending: error.fingerprint, status: "host key not approved" },
    });
    return "unknown";
  }
  if (server.sshHostKeyPending === error.seen) return "changed"; // already reported
  await db.server.update({
    where: { id: serverId },
    data: {
      sshHostKeyPending: error.seen,
      sshHostKeyChangedAt: now(),
      status: "host key changed",
    },
  });
  await recordAudit(
    {
      actor: null,
      action: "server.host_key_changed",
      targetType: "server",
      targetId: serverId,
      details: { expected: error.expected, seen: error.seen },
    },
    db,
  );
  return "changed";
}

// Records the problem and, for a changed key, tells the admins what Parley did about it.
export async function reportHostKeyProblem(
  serverId: string,
  error: unknown,
  consequence = "Parley stopped sending jobs to it.",
): Promise<HostKeyProblem> {
  const problem = await recordHostKeyProblem(prisma, serverId, error);
  if (problem === "changed") {
    const server = await prisma.server.findUnique({
      where: { id: serverId },
      select: { name: true },
    });
    await notifyRole("ADMIN", {
      title: `SSH host key of ${server?.name ?? "a server"} changed`,
      body: `${consequence} Check with the server's administrator before approving the new key.`,
      link: `/console/servers/${serverId}`,
      email: true,
    });
  }
  return problem;
}
