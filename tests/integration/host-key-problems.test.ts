import { describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { prisma } from "@/core/db";
import { recordHostKeyProblem } from "@/lib/servers/host-keys";
import { HostKeyMismatchError, UnknownHostKeyError } from "@/provisioning/transport/ssh-executor";

// A worker's connection may have been built before staff pinned or approved a key in a console
// (another process): its refusal must not undo the approval or raise a false alarm.
const key = () => `SHA256:${randomBytes(32).toString("base64").slice(0, 43)}`;

async function sshServer(pinned: string | null) {
  return prisma.server.create({
    data: {
      name: `ssh-${randomBytes(4).toString("hex")}`,
      kind: "PROSODY",
      domain: "p.test",
      transport: "SSH",
      sshHost: "127.0.0.1",
      sshHostKeySha256: pinned,
    },
  });
}

const alarms = (serverId: string) =>
  prisma.auditEvent.count({ where: { action: "server.host_key_changed", targetId: serverId } });

describe("host key problems reported by a job", () => {
  it("a changed key against the key pinned now is recorded once and audited", async () => {
    const [pinned, seen] = [key(), key()];
    const server = await sshServer(pinned);
    const error = new HostKeyMismatchError("127.0.0.1", 22, pinned, seen);
    expect(await recordHostKeyProblem(prisma, server.id, error)).toBe("changed");
    expect(await recordHostKeyProblem(prisma, server.id, error)).toBe("changed");
    const row = await prisma.server.findUniqueOrThrow({ where: { id: server.id } });
    expect([row.sshHostKeyPending, row.status]).toEqual([seen, "host key changed"]);
    expect(await alarms(server.id)).toBe(1);
  });

  it("a refusal from a connection built before staff approved the new key changes nothing", async () => {
    const [old, approved] = [key(), key()];
    const server = await sshServer(approved);
    const stale = new HostKeyMismatchError("127.0.0.1", 22, old, approved);
    expect(await recordHostKeyProblem(prisma, server.id, stale)).toBeNull();
    const row = await prisma.server.findUniqueOrThrow({ where: { id: server.id } });
    expect([row.sshHostKeySha256, row.sshHostKeyPending, row.sshHostKeyChangedAt]).toEqual([
      approved,
      null,
      null,
    ]);
    expect(await alarms(server.id)).toBe(0);
  });

  it("an unknown key is recorded for approval, unless a key was pinned since", async () => {
    const fingerprint = key();
    const fresh = await sshServer(null);
    const unknown = new UnknownHostKeyError("127.0.0.1", 22, fingerprint);
    expect(await recordHostKeyProblem(prisma, fresh.id, unknown)).toBe("unknown");
    expect(
      (await prisma.server.findUniqueOrThrow({ where: { id: fresh.id } })).sshHostKeyPending,
    ).toBe(fingerprint);
    const approved = await sshServer(fingerprint);
    expect(await recordHostKeyProblem(prisma, approved.id, unknown)).toBeNull();
    const row = await prisma.server.findUniqueOrThrow({ where: { id: approved.id } });
    expect([row.sshHostKeyPending, row.status]).toEqual([null, "unknown"]);
  });
});
