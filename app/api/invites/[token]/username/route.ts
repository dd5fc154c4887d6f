import { prisma } from "@/core/db";
import { hashToken } from "@/core/tokens";
import { checkLocalpart } from "@/provisioning/names";
import { lookUpInvite } from "@/lib/invites/lookup-invite";
import { allowAttempt } from "@/lib/rate-limit/attempts";
import { checkUsernameAvailable } from "@/lib/accounts/account-slot";

// Public, but only for holders of a valid invite: tells whether a username can be registered
// with it. Throttled per invite, so it cannot be used to list who has an account.
export async function GET(request: Request, context: { params: Promise<{ token: string }> }): Promise<Response> {
  const { token } = await context.params;
  const name = new URL(request.url).searchParams.get("name") ?? "";
  const reply = (status: number, body: { available: boolean; message: string; name?: string }) =>
    Response.json(body, { status, headers: { "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" } });
  if (!allowAttempt("username", token, 120, 10 * 60_000)) return reply(429, { available: false, message: "Too many checks; wait a minute." });
  const lookup = await lookUpInvite(token);
  if (lookup.state !== "valid") return reply(404, { available: false, message: "This invite is not valid any more." });
  const checked = checkLocalpart(name);
  if (!checked.ok) return reply(200, { available: false, message: checked.message });
  const invite = await prisma.invite.findUniqueOrThrow({ where: { tokenHash: hashToken(token) }, select: { customerId: true, localpart: true } });
  if (invite.localpart && invite.localpart !== checked.name) return reply(200, { available: false, message: `This invite is for ${invite.localpart} only.` });
  const wanted = { customerId: invite.customerId, localpart: checked.name, domain: lookup.invite.domain };
  const free = (await checkUsernameAvailable(prisma, wanted)).available;
  return reply(200, free
    ? { available: true, message: `${checked.name}@${lookup.invite.domain} is available.`, name: checked.name }
    : { available: false, message: `${checked.name}@${lookup.invite.domain} is taken.` });
}
