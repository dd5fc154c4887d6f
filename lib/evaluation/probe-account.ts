import { randomBytes } from "node:crypto";
import type { DB } from "@/core/db";
import { now } from "@/core/clock";
import { open, seal } from "@/core/secrets";
import { recordAudit } from "@/lib/audit/record-audit";
import type { XmppAdapter } from "@/provisioning/servers/adapter";

// Parley's probe account on a server: the live evaluation signs in with it. It is created and
// kept through the server's adapter like every account (created when missing, its password set
// again when it no longer works), but it is Parley's own: no customer, no seat, never in the
// account lists. The name is reserved for customers (provisioning/names.ts).

export const PROBE_LOCALPART = "parley-probe";

export type ProbeCredentials = { username: string; password: string };

type Server = { id: string; domain: string };

async function ours(db: DB, server: Server, key: Buffer) {
  const row = await db.probeAccount.findUnique({ where: { serverId: server.id } });
  if (row) return { row, password: open(row.passwordEnc, key), fresh: false };
  // Older installs could have given the name to a customer before it was reserved.
  const taken = await db.xmppAccount.findFirst({
    where: { localpart: PROBE_LOCALPART, domain: server.domain, status: { not: "DELETED" } },
    select: { id: true },
  });
  if (taken)
    throw new Error(
      `${PROBE_LOCALPART}@${server.domain} belongs to a customer; Parley cannot use it as its probe.`,
    );
  const password = randomBytes(24).toString("base64url");
  const created = await db.probeAccount.upsert({
    where: { serverId: server.id },
    create: {
      serverId: server.id,
      localpart: PROBE_LOCALPART,
      domain: server.domain,
      passwordEnc: seal(password, key),
      createdAt: now(),
    },
    update: {},
  });
  // Another run may have created it first: its password is the one stored.
  return { row: created, password: open(created.passwordEnc, key), fresh: true };
}

export async function ensureProbeAccount(
  db: DB,
  server: Server,
  adapter: XmppAdapter,
  key: Buffer,
): Promise<ProbeCredentials> {
  const { row, password, fresh } = await ours(db, server, key);
  const username = row.localpart;
  if (!(await adapter.accountExists(username))) {
    await adapter.createAccount(username, password);
    await recordAudit(
      {
        actor: null,
        action: fresh ? "server.probe_created" : "server.probe_recreated",
        targetType: "server",
        targetId: server.id,
        details: { account: `${username}@${server.domain}` },
      },
      db,
    );
  } else if (!(await adapter.checkPassword(username, password))) {
    // An account of that name Parley did not create is left alone.
    if (fresh) {
      await db.probeAccount.delete({ where: { id: row.id } });
      throw new Error(
        `${username}@${server.domain} already exists on the server and is not Parley's; remove it or rename it.`,
      );
    }
    await adapter.setPassword(username, password);
  }
  return { username, password };
}
