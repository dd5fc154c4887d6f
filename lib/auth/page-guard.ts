import "server-only";
import { notFound, redirect } from "next/navigation";
import { getCurrentUser, type SessionUser } from "@/lib/auth/session";
import { can, OWN, type Permission } from "@/lib/auth/policy";

// For pages: send visitors without a session to sign in; hide pages the role may not see.
// A page shows the caller's own world: staff hold their grants everywhere, a portal user on its
// own customer (console pages need grants portal users never hold).
export async function guardPage(permission: Permission, callbackUrl: string): Promise<SessionUser> {
  const user = await getCurrentUser();
  if (!user) redirect(`/login?callbackUrl=${encodeURIComponent(callbackUrl)}`);
  if (!can(user, permission, OWN)) notFound();
  return user;
}
