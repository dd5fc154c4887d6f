import Link from "@/app/_components/link";
import { redirect } from "next/navigation";
import { getCurrentUser } from "@/lib/auth/session";
import { can, type Permission } from "@/lib/auth/policy";
import { mustEnrolTwoFactor } from "@/lib/auth/two-factor-gate";
import { readConsoleAlerts } from "@/lib/notifications/console-alerts";
import { NavLink } from "@/app/_components/nav-link";
import { SignOutButton } from "@/app/_components/sign-out-button";
import { Banner } from "@/app/_components/ui";

const NAV: { href: string; label: string; permission: Permission }[] = [
  { href: "/console/customers", label: "Customers", permission: "customers.read" },
  { href: "/console/portal-users", label: "Portal users", permission: "customers.read" },
  { href: "/console/accounts", label: "Accounts", permission: "accounts.read" },
  { href: "/console/rooms", label: "Rooms", permission: "accounts.read" },
  { href: "/console/invites", label: "Invites", permission: "accounts.read" },
  { href: "/console/servers", label: "Servers", permission: "servers.read" },
  { href: "/console/policies", label: "Policies", permission: "policies.read" },
  { href: "/console/provider-file", label: "Provider file", permission: "servers.read" },
  { href: "/console/billing", label: "Billing", permission: "billing.read" },
  { href: "/console/plans", label: "Plans", permission: "plans.read" },
  { href: "/console/jobs", label: "Jobs", permission: "jobs.read" },
  { href: "/console/bulk", label: "Bulk", permission: "accounts.suspend" },
  { href: "/console/audit", label: "Audit", permission: "audit.read" },
  { href: "/console/staff", label: "Staff", permission: "staff.manage" },
  { href: "/console/outbox", label: "Outbox", permission: "outbox.read" },
];

// Redirects only; every page, action and route checks the caller again itself.
export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  const user = await getCurrentUser();
  if (!user) redirect("/login?callbackUrl=/console");
  if (!can(user, "console.view")) redirect("/portal");
  // Staff who must enrol two-factor first see only the enrolment page: no menu, no banners.
  const enrolFirst = await mustEnrolTwoFactor(user);
  const { unread, changedKeys, drifted } = enrolFirst
    ? { unread: 0, changedKeys: [], drifted: [] }
    : await readConsoleAlerts(user.id, {
        changedKeys: can(user, "servers.read"),
        drifted: can(user, "policies.read"),
      });
  const nav = enrolFirst ? [] : NAV.filter((item) => can(user, item.permission));
  return (
    <div className="flex min-h-screen flex-col md:flex-row">
      <aside className="border-b border-slate-200 bg-white md:w-56 md:shrink-0 md:border-b-0 md:border-r">
        <div className="flex items-center gap-2 px-4 py-4">
          <img src="/icon.svg" alt="" width={24} height={24} />
          <Link href="/console" className="font-semibold">
            Parley
          </Link>
          <span className="ml-auto rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-600">
            {user.role.toLowerCase()}
          </span>
        </div>
        <nav aria-label="Console" className="space-y-0.5 px-2 pb-4">
          <NavLink href="/console" exact>
            Overview
          </NavLink>
          {nav.map((item) => (
            <NavLink key={item.href} href={item.href}>
              {item.label}
            </NavLink>
          ))}
        </nav>
      </aside>
      <div className="flex-1">
        <header className="flex items-center justify-end gap-3 border-b border-slate-200 bg-white px-6 py-2 text-sm">
          {can(user, "accounts.read") && !enrolFirst ? (
            <form action="/console/search" role="search" className="mr-auto">
              <label htmlFor="header-q" className="sr-only">
                Find an account, customer or room
              </label>
              <input
                id="header-q"
                name="q"
                placeholder="Find account, customer, room…"
                className="w-64 rounded-md border border-slate-300 px-2 py-1 text-sm"
              />
            </form>
          ) : null}
          <Link
            href="/console/notifications"
            className="rounded-md px-2 py-1 text-slate-600 hover:bg-slate-100"
          >
            Notifications
            {unread > 0 ? (
              <span className="ml-1 rounded-full bg-indigo-600 px-1.5 text-xs text-white">
                {unread}
              </span>
            ) : null}
          </Link>
          <Link
            href="/console/security"
            className="rounded-md px-2 py-1 text-slate-600 hover:bg-slate-100"
          >
            {user.email}
          </Link>
          <SignOutButton />
        </header>
        <main className="mx-auto max-w-6xl px-6 py-6">
          {changedKeys.map((s) => (
            <Banner key={s.id} color="red" testId="host-key-changed">
              The SSH host key of{" "}
              <Link className="font-semibold underline" href={`/console/servers/${s.id}`}>
                {s.name}
              </Link>{" "}
              changed. Parley stopped talking to it until someone checks and approves the new key.
            </Banner>
          ))}
          {drifted.map((s) => (
            <Banner key={s.id} color="red" testId="compliance-drift">
              <Link
                className="font-semibold underline"
                href={`/console/servers/${s.id}/compliance`}
              >
                {s.name}
              </Link>{" "}
              no longer keeps its privacy policy. See the report for the redacted evidence, then
              enforce the policy again.
            </Banner>
          ))}
          {!user.totpEnabled && !enrolFirst ? (
            <Banner testId="two-factor-prompt">
              Protect your staff account:{" "}
              <Link className="font-semibold underline" href="/console/security">
                set up two-factor sign-in
              </Link>
              .
            </Banner>
          ) : null}
          {children}
        </main>
      </div>
    </div>
  );
}
