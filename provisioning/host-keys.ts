import type { DB } from "@/core/db";
import { now } from "@/core/clock";
import { recordAudit } from "@/lib/audit/record-audit";
import { HostKeyMismatchError, UnknownHostKeyError } from "./transport/ssh-executor";

// Keeps the fingerprint an SSH server presented for staff to approve. A changed key is a
// security event: it is audited and raises the console banner until someone decides.
export async function recordHostKeyProblem(db: DB, serverId: string, error: unknown): Promise<"unknown" | "changed" | null> {
  if (error instanceof UnknownHostKeyError) {
    await db.server.update({ where: { id: serverId }, data: { sshHostKeyPending: error.fingerprint, status: "host key not approved" } });
    return "unknown";
  }
  if (error instanceof HostKeyMismatchError) {
    const server = await db.server.findUnique({ where: { id: serverId }, select: { sshHostKeyPending: true } });
    if (server?.sshHostKeyPending === error.seen) return "changed"; // already reported
    await db.server.update({ where: { id: serverId }, data: { sshHostKeyPending: error.seen, sshHostKeyChangedAt: now(), status: "host key changed" } });
    await recordAudit({ actor: null, action: "server.host_key_changed", targetType: "server", targetId: serverId, details: { expected: error.expected, seen: error.seen } }, db);
    return "changed";
  }
  return null;
}
