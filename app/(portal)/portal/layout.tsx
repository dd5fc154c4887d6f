import Link from "@/app/_components/link";
import { redirect } from "next/navigation";
import { getCurrentUser } from "@/lib/auth/session";
import { can, OWN } from "@/lib/auth/policy";
import { NavLink } from "@/app/_components/nav-link";
import { SignOutButton } from "@/app/_components/sign-out-button";

// Redirects only; pages and actions check the caller themselves.
export default async function PortalLayout({ children }: { children: React.ReactNode }) {
  const user = await getCurrentUser();
  if (!user) redirect("/login?callbackUrl=/portal");
  // A closed or terminated service: the notice is all there is (policy.ts refuses the rest, so
  // the pages read nothing either).
  if (user.customerEnded) redirect("/service-ended");
  if (!can(user, "portal.view", OWN)) redirect("/console");
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-5xl flex-wrap items-center gap-4 px-6 py-3">
          <Link href="/portal" className="flex items-center gap-2 font-semibold">
            <img src="/icon.svg" alt="" width={24} height={24} />
            Parley
          </Link>
          <nav aria-label="Portal" className="flex gap-1">
            <NavLink href="/portal" exact>
              Home
            </NavLink>
            <NavLink href="/portal/accounts">Accounts</NavLink>
            <NavLink href="/portal/rooms">Rooms</NavLink>
            <NavLink href="/portal/invites">Invites</NavLink>
            <NavLink href="/portal/people">People</NavLink>
            <NavLink href="/portal/billing">Billing</NavLink>
            <NavLink href="/portal/security">Your sign-in</NavLink>
          </nav>
          <span className="ml-auto text-sm text-slate-600">{user.email}</span>
          <SignOutButton />
        </div>
      </header>
      <main className="mx-auto max-w-5xl px-6 py-6">{children}</main>
    </div>
  );
}
