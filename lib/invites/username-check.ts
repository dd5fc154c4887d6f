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

// Whether a username can be registered with an invite: the same availability rule account
// creation applies. Throttled per invite, so it cannot be used to list who has an account.
export async function checkInviteUsername(token: string, name: string): Promise<UsernameAnswer> {
  if (!(await allowAttempt("username", token, 120, 10 * 60_000))) {
    return answer(429, { available: false, message: "Too many checks; wait a minute." });
  }
  const lookup = await lookUpInvite(token);
  if (lookup.state !== "valid") {
    return answer(404, { available: false, message: "This invite is not valid any more." });
  }
  const checked = checkLocalpart(name);
  if (!checked.ok) return answer(200, { available: false, message: checked.message });
  const invite = await prisma.invite.findUniqueOrThrow({
    where: { tokenHash: hashToken(token) },
    select: { customerId: true, localpart: true },
  });
  if (invite.localpart && invite.localpart !== checked.name) {
    return answer(200, {
      available: false,
      message: `This invite is for ${invite.localpart} only.`,
    });
  }
  const domain = lookup.invite.domain;
  const address = `${checked.name}@${domain}`;
  const wanted = { customerId: invite.customerId, localpart: checked.name, domain };
  const { available } = await checkUsernameAvailable(prisma, wanted);
  return available
    ? answer(200, { available: true, message: `${address} is available.`, name: checked.name })
    : answer(200, { available: false, message: `${address} is taken.` });
}
