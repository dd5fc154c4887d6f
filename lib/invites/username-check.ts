import { prisma } from "@/core/db";
import { hashToken } from "@/core/tokens";
import { checkUsernameAvailable } from "@/lib/accounts/account-slot";
import { allowAttempt } from "@/lib/rate-limit/attempts";
import { checkLocalpart } from "@/provisioning/names";
import { lookUpInvite } from "./lookup-invite";

export type UsernameAnswer = {
  status: number;
  body: { available: boolean; message: string; name?: string };
};

const answer = (status: number, body: UsernameAnswer["body"]): UsernameAnswer => ({ status, body });

// Enough for a person typing a name on one link; too few to list who has an account.
export const USERNAME_CHECKS_PER_INVITE = { limit: 120, windowMs: 10 * 60_000 };
// Per customer, across all its links: a portal user can make links, but not a probe for names.
export const USERNAME_CHECKS_PER_CUSTOMER = { limit: 300, windowMs: 60 * 60_000 };

// Counts one username availability answer against the customer's budget; every path that
// tells a customer's side whether a name is taken spends from it.
export async function spendUsernameCheck(customerId: string): Promise<boolean> {
  const { limit, windowMs } = USERNAME_CHECKS_PER_CUSTOMER;
  return allowAttempt("username-customer", customerId, limit, windowMs);
}

const TOO_MANY = answer(429, { available: false, message: "Too many checks; wait a minute." });

// Whether a username can be registered with an invite: the same availability rule account
// creation applies. Unknown links are refused by their hash lookup before any limit; valid ones
// are throttled per invite and per customer, so no one can list who has an account.
export async function checkInviteUsername(token: string, name: string): Promise<UsernameAnswer> {
  const gone = answer(404, { available: false, message: "This invite is not valid any more." });
  const invite = await prisma.invite.findUnique({
    where: { tokenHash: hashToken(token) },
    select: { id: true, customerId: true, localpart: true },
  });
  if (!invite) return gone;
  // The limit before the invite's full lookup, so a throttled link costs one indexed read.
  const perInvite = USERNAME_CHECKS_PER_INVITE;
  if (!(await allowAttempt("username", invite.id, perInvite.limit, perInvite.windowMs)))
    return TOO_MANY;
  const lookup = await lookUpInvite(token);
  if (lookup.state !== "valid") return gone;
  const checked = checkLocalpart(name);
  if (!checked.ok) return answer(200, { available: false, message: checked.message });
  if (invite.localpart && invite.localpart !== checked.name) {
    return answer(200, {
      available: false,
      message: `This invite is for ${invite.localpart} only.`,
    });
  }
  if (!(await spendUsernameCheck(invite.customerId))) return TOO_MANY;
  const domain = lookup.invite.domain;
  const address = `${checked.name}@${domain}`;
  const wanted = { customerId: invite.customerId, localpart: checked.name, domain };
  const { available } = await checkUsernameAvailable(prisma, wanted);
  return available
    ? answer(200, { available: true, message: `${address} is available.`, name: checked.name })
    : answer(200, { available: false, message: `${address} is taken.` });
}
