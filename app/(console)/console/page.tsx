import type { Metadata } from "next";
import Link from "next/link";
import { guardPage } from "@/lib/auth/page-guard";
import { can } from "@/lib/auth/policy";
import { countAccounts } from "@/lib/accounts/queries";
import { listRecentAuditEvents } from "@/lib/audit/queries";
import { countCustomers } from "@/lib/customers/queries";
import { countWaitingJobs } from "@/lib/jobs/queries";
import { countCurrentPlans } from "@/lib/plans/queries";
import { countRooms } from "@/lib/rooms/queries";
import { countServers } from "@/lib/servers/queries";
import { Card, PageHeader, formatDateTime } from "@/app/_components/ui";

export const metadata: Metadata = { title: "Overview" };

export default async function ConsoleHome() {
  const user = await guardPage("console.view", "/console");
  const [customers, plans, accounts, rooms, servers, pendingJobs, recent] = await Promise.all([
    countCustomers(),
    countCurrentPlans(),
    countAccounts(),
    countRooms(),
    countServers(),
    countWaitingJobs(user),
    can(user, "audit.read") ? listRecentAuditEvents(user, 8) : [],
  ]);
  const stats = [
    { label: "Customers", value: customers, href: "/console/customers" },
    { label: "XMPP accounts", value: accounts, href: "/console/accounts" },
    { label: "Rooms", value: rooms, href: "/console/rooms" },
    { label: "Servers", value: servers, href: "/console/servers" },
    { label: "Jobs waiting", value: pendingJobs, href: "/console/jobs" },
  ];
  const steps = [
    {
      done: user.totpEnabled,
      text: "Turn on two-factor sign-in for your account",
      href: "/console/security",
    },
    {
      done: plans > 0,
      text: "Create a plan (seats, rooms, retention)",
      href: "/console/plans/new",
    },
    { done: customers > 0, text: "Add your first customer", href: "/console/customers/new" },
    { done: servers > 0, text: "Connect a backing XMPP server", href: "/console/servers" },
  ];
  return (
    <>
      <PageHeader
        title={`Hello, ${user.name}`}
        description="What is happening across your service."
      />
      <div className="mb-6 grid grid-cols-2 gap-3 sm:grid-cols-5">
        {stats.map((s) => (
          <Link
            key={s.label}
            href={s.href}
            className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm hover:border-indigo-300"
          >
            <div className="text-2xl font-semibold" data-testid={`stat-${s.label}`}>
              {s.value}
            </div>
            <div className="text-xs text-slate-600">{s.label}</div>
          </Link>
        ))}
      </div>
      <div className="grid gap-6 md:grid-cols-2">
        {user.role === "ADMIN" ? (
          <Card title="Getting started">
            <ol className="space-y-2 text-sm">
              {steps.map((s) => (
                <li key={s.text} className="flex items-center gap-2">
                  <span
                    aria-hidden="true"
                    className={s.done ? "text-emerald-600" : "text-slate-400"}
                  >
                    {s.done ? "✓" : "○"}
                  </span>
                  <Link
                    href={s.href}
                    className={
                      s.done ? "text-slate-500 line-through" : "text-indigo-700 hover:underline"
                    }
                  >
                    {s.text}
                  </Link>
                  <span className="sr-only">{s.done ? "(done)" : "(to do)"}</span>
                </li>
              ))}
            </ol>
          </Card>
        ) : null}
        {recent.length > 0 ? (
          <Card title="Recent activity">
            <ul className="space-y-1.5 text-sm">
              {recent.map((e) => (
                <li key={e.id} className="flex justify-between gap-4">
                  <span>
                    <span className="font-mono text-xs">{e.action}</span>{" "}
                    <span className="text-slate-500">by {e.actorLabel}</span>
                  </span>
                  <span className="shrink-0 text-xs text-slate-500">{formatDateTime(e.at)}</span>
                </li>
              ))}
            </ul>
            <Link
              href="/console/audit"
              className="mt-3 inline-block text-sm text-indigo-700 hover:underline"
            >
              Full audit log →
            </Link>
          </Card>
        ) : null}
      </div>
    </>
  );
}
