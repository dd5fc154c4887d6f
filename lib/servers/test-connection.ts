import { prisma } from "@/core/db";
import { now } from "@/core/clock";
import { AppError } from "@/core/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { encryptionKey } from "@/core/secrets";
import { createAdapter } from "@/provisioning/servers/registry";
import { reportHostKeyProblem } from "@/lib/servers/host-keys";

type Actor = { id: string; email: string };

export type ConnectionResult = { ok: boolean; message: string };

export async function testServerConnection(
  serverId: string,
  actor: Actor,
): Promise<ConnectionResult> {
  const server = await prisma.server.findUnique({ where: { id: serverId } });
  if (!server) throw new AppError("not_found", "That server does not exist.");
  let result: ConnectionResult;
  let adapter: ReturnType<typeof createAdapter> | undefined;
  try {
    adapter = createAdapter(server, encryptionKey());
    const health = await adapter.health();
    result = health.ok
      ? { ok: true, message: `Connected${health.version ? ` to ${health.version}` : ""}.` }
      : { ok: false, message: health.detail ?? "The server answered but is not healthy." };
  } catch (error) {
    const hostKey = await reportHostKeyProblem(server.id, error, "Parley refused to connect.");
    result = {
      ok: false,
      message:
        hostKey === "unknown"
          ? "Compare the host key fingerprint below with the server's, then approve it."
          : (error as Error).message,
    };
  } finally {
    await adapter?.close().catch(() => undefined);
  }
  await prisma.server.update({
    where: { id: server.id },
    data: {
      lastCheckedAt: now(),
      lastError: result.ok ? null : result.message.slice(0, 500),
      ...(result.ok ? { status: "ok" } : {}),
    },
  });
  if (!result.ok) {
    const current = await prisma.server.findUniqueOrThrow({
      where: { id: server.id },
      select: { status: true },
    });
    if (!current.status.startsWith("host key"))
      await prisma.server.update({ where: { id: server.id }, data: { status: "unreachable" } });
  }
  await recordAudit({
    actor,
    action: "server.connection_tested",
    targetType: "server",
    targetId: server.id,
    details: { ok: result.ok },
  });
  return result;
}
