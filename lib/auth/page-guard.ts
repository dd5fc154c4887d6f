import "server-only";
import { notFound, redirect } from "next/navigation";
import { getCurrentUser, type SessionUser } from "@/lib/auth/session";
import { can, OWN, type Permission } from "@/lib/auth/policy";
import { mustEnrolTwoFactor, TWO_FACTOR_ENROLMENT_PATH } from "@/lib/auth/two-factor-gate";

// For pages: send visitors without a session to sign in; hide pages the role may not see.
// A page shows the caller's own world: staff hold their grants everywhere, a portal user on its
// own customer (console pages need grants portal users never hold). Staff who must enrol
// two-factor sign-in first are sent to the enrolment page from every other page.
export async function guardPage(permission: Permission, callbackUrl: string): Promise<SessionUser> {
  const user = await getCurrentUser();
  if (!user) redirect(`/login?callbackUrl=${encodeURIComponent(callbackUrl)}`);
  if (callbackUrl !== TWO_FACTOR_ENROLMENT_PATH && (await mustEnrolTwoFactor(user)))
    redirect(`${TWO_FACTOR_ENROLMENT_PATH}?prompt=1`);
  if (!can(user, permission, OWN)) notFound();
  return user;
}
