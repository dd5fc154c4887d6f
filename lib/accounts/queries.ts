import { prisma } from "@/core/db";
import { now } from "@/core/clock";
import { encryptionKey } from "@/core/secrets";
import { createAdapter } from "@/provisioning/servers/registry";
import { parseReasons } from "@/provisioning/suspension";
import { SERVER_RECORD_SELECT } from "@/lib/servers/queries";

// Reads of XMPP accounts. Suspension reasons come parsed (`reasons`), never as stored JSON.

function withReasons<T extends { suspensionReasons: string }>({ suspensionReasons, ...rest }: T) {
  return { ...rest, reasons: parseReasons(suspensionReasons) };
}

export function countAccounts(): Promise<number> {
  return prisma.xmppAccount.count({ where: { deletedAt: null } });
}

// The console list: newest first, optionally narrowed by part of the address or name.
export async function listAccounts(filter: { q?: string } = {}) {
  const q = filter.q?.trim().toLowerCase();
  const match = q
    ? {
        OR: [
          { localpart: { contains: q } },
          { domain: { contains: q } },
          { displayName: { contains: q } },
        ],
      }
    : {};
  const rows = await prisma.xmppAccount.findMany({
    where: { status: { not: "DELETED" }, ...match },
    orderBy: { createdAt: "desc" },
    take: 200,
    select: {
      id: true,
      localpart: true,
      domain: true,
      status: true,
      suspensionReasons: true,
      createdAt: true,
      customer: { select: { id: true, name: true } },
    },
  });
  return rows.map(withReasons);
}

// One account for its console page; null when missing or deleted.
export async function getAccountDetail(id: string) {
  const account = await prisma.xmppAccount.findUnique({
    where: { id },
    select: {
      id: true,
      localpart: true,
      domain: true,
      displayName: true,
      recoveryEmail: true,
      status: true,
      suspensionReasons: true,
      createdAt: true,
      customer: { select: { id: true, name: true } },
      server: { select: { id: true, name: true } },
    },
  });
  if (!account || account.status === "DELETED") return null;
  return withReasons(account);
}

// Password-reset links of an account that can still be used.
export function listOpenResetLinks(accountId: string) {
  return prisma.resetLink.findMany({
    where: { accountId, usedAt: null, revokedAt: null, expiresAt: { gt: now() } },
    orderBy: { createdAt: "desc" },
    select: { id: true, expiresAt: true, reason: true, createdBy: { select: { name: true } } },
  });
}

// The accounts of one customer (portal and the staff's read-only view of it), by address.
export async function listCustomerAccounts(customerId: string) {
  const rows = await prisma.xmppAccount.findMany({
    where: { customerId, status: { not: "DELETED" } },
    orderBy: { localpart: "asc" },
    select: {
      id: true,
      localpart: true,
      domain: true,
      status: true,
      suspensionReasons: true,
      recoveryEmail: true,
    },
  });
  return rows.map(withReasons);
}

// Accounts an invite can add contacts to: one customer's, or everyone's (capped) for staff.
export function listInvitableAccounts(scope: { customerId?: string } = {}) {
  return prisma.xmppAccount.findMany({
    where: {
      status: { in: ["ACTIVE", "SUSPENDED"] },
      ...(scope.customerId ? { customerId: scope.customerId } : {}),
    },
    orderBy: { localpart: "asc" },
    ...(scope.customerId ? {} : { take: 500 }),
    select: { id: true, localpart: true, domain: true, customer: { select: { name: true } } },
  });
}

export type LiveAccountState =
  | { state: "ok"; exists: boolean; suspended: boolean | null; sessions: number | null }
  | { state: "unreachable"; message: string };

// Asks the account's server, live: does it exist, is it suspended, how many sessions are online.
// Only counts, never client addresses. Gives up after timeoutMs; never throws for the server.
export async function getLiveAccountState(
  accountId: string,
  options: { timeoutMs: number },
): Promise<LiveAccountState> {
  const account = await prisma.xmppAccount.findUniqueOrThrow({
    where: { id: accountId },
    select: { localpart: true, server: { select: SERVER_RECORD_SELECT } },
  });
  let adapter: ReturnType<typeof createAdapter>;
  try {
    adapter = createAdapter(account.server, encryptionKey());
  } catch (error) {
    return { state: "unreachable", message: (error as Error).message };
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const seconds = options.timeoutMs / 1000;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`The server did not answer within ${seconds} seconds.`)),
      options.timeoutMs,
    );
  });
  const ask = async (): Promise<LiveAccountState> => {
    const exists = await adapter.accountExists(account.localpart);
    if (!exists) return { state: "ok", exists, suspended: null, sessions: null };
    const [suspended, sessions] = await Promise.all([
      adapter.isSuspended(account.localpart),
      adapter.countSessions(account.localpart),
    ]);
    return { state: "ok", exists, suspended, sessions };
  };
  try {
    return await Promise.race([ask(), timeout]);
  } catch (error) {
    return { state: "unreachable", message: (error as Error).message };
  } finally {
    clearTimeout(timer);
    await adapter.close().catch(() => undefined);
  }
}
