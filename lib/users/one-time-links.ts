import { addHours } from "date-fns";
import { prisma, type DB } from "@/core/db";
import { now } from "@/core/clock";
import { hashToken, newToken } from "@/core/tokens";

export type LinkPurpose = "first-admin" | "welcome" | "console-reset";

type Tx = Pick<DB, "setupToken">;

// Issues a one-time link; only the token's hash is stored.
export async function issueOneTimeLink(
  input: { purpose: LinkPurpose; ttlHours: number; userId?: string; email?: string },
  tx: Tx = prisma,
): Promise<string> {
  const token = newToken();
  await tx.setupToken.create({
    data: {
      tokenHash: hashToken(token),
      purpose: input.purpose,
      userId: input.userId ?? null,
      email: input.email ?? null,
      expiresAt: addHours(now(), input.ttlHours),
      createdAt: now(),
    },
  });
  return token;
}

export type LinkLookup =
  | { state: "valid"; id: string; userId: string | null; email: string | null; expiresAt: Date }
  | { state: "expired" | "used" | "unknown" };

export async function lookUpOneTimeLink(purpose: LinkPurpose, token: string): Promise<LinkLookup> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return { state: "unknown" };
  const row = await prisma.setupToken.findUnique({ where: { tokenHash: hashToken(token) } });
  if (!row || row.purpose !== purpose) return { state: "unknown" };
  if (row.usedAt) return { state: "used" };
  if (row.expiresAt <= now()) return { state: "expired" };
  return {
    state: "valid",
    id: row.id,
    userId: row.userId,
    email: row.email,
    expiresAt: row.expiresAt,
  };
}

// Spends the link atomically inside the caller's transaction: of two racing uses, one wins.
export async function spendOneTimeLink(
  purpose: LinkPurpose,
  token: string,
  tx: Tx,
): Promise<{ userId: string | null } | null> {
  const tokenHash = hashToken(token);
  const spent = await tx.setupToken.updateMany({
    where: { tokenHash, purpose, usedAt: null, expiresAt: { gt: now() } },
    data: { usedAt: now() },
  });
  if (spent.count !== 1) return null;
  const row = await tx.setupToken.findUnique({ where: { tokenHash }, select: { userId: true } });
  return { userId: row?.userId ?? null };
}
