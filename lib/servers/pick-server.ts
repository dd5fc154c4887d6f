import { prisma } from "@/core/db";
import { AppError } from "@/core/errors";
import { isStaff, type Principal } from "@/lib/auth/policy";

const select = {
  id: true,
  name: true,
  domain: true,
  mucDomain: true,
  kind: true,
  enabled: true,
  isDefault: true,
  policy: { select: { name: true, mamRetentionDays: true } },
} as const;
type Candidate = { name: string; policy: { name: string; mamRetentionDays: number } | null };

// A server keeps a plan's promise when its policy keeps messages exactly as long as the plan
// says. A server without a policy is accepted (the console flags it) so a fresh install works.
function mismatch(server: Candidate, retentionDays: number | undefined): string | null {
  if (
    retentionDays === undefined ||
    !server.policy ||
    server.policy.mamRetentionDays === retentionDays
  )
    return null;
  return `${server.name} keeps messages ${server.policy.mamRetentionDays} days (policy “${server.policy.name}”), but the plan promises ${retentionDays}.`;
}

// Staff may place a new account, room or invite on a server of their choice; for a customer's
// own people (and Parley itself) the provider's placement rules decide, so a server they name is
// refused rather than quietly honoured or swapped.
export function mayChooseServer(actor: Pick<Principal, "role"> | null): boolean {
  return isStaff(actor);
}

export function serverChoiceOf(
  actor: Pick<Principal, "role"> | null,
  serverId?: string,
): string | undefined {
  if (serverId && !mayChooseServer(actor))
    throw new AppError(
      "forbidden",
      "Your provider decides which server new accounts, rooms and invites go to; leave the server out.",
      { serverId: ["Chosen by your provider"] },
    );
  return serverId;
}

// The server a new account or room goes to: the one asked for, else the default, else the first
// that matches the plan's retention.
export async function pickServerFor(serverId?: string, retentionDays?: number) {
  if (serverId) {
    const server = await prisma.server.findUnique({ where: { id: serverId }, select });
    if (!server)
      throw new AppError("invalid", "That server does not exist.", {
        serverId: ["Choose a server"],
      });
    if (!server.enabled)
      throw new AppError("invalid", "That server is disabled.", { serverId: ["Disabled"] });
    const why = mismatch(server, retentionDays);
    if (why)
      throw new AppError(
        "invalid",
        `${why} Choose a server whose policy matches, or change the plan.`,
        { serverId: ["Retention does not match the plan"] },
      );
    return server;
  }
  const servers = await prisma.server.findMany({
    where: { enabled: true },
    orderBy: [{ isDefault: "desc" }, { createdAt: "asc" }],
    select,
  });
  if (servers.length === 0)
    throw new AppError("invalid", "No server is connected yet. Add one under Servers first.");
  const match = servers.find((s) => !mismatch(s, retentionDays));
  if (!match)
    throw new AppError(
      "invalid",
      `No server keeps messages as the plan promises: ${servers.map((s) => mismatch(s, retentionDays)).join(" ")}`,
    );
  return match;
}
