import type { Metadata } from "next";
import Link from "@/app/_components/link";
import { guardPage } from "@/lib/auth/page-guard";
import { can } from "@/lib/auth/policy";
import { listRecentAuditEvents } from "@/lib/audit/queries";
import { getSetupProgress, readDashboard } from "@/lib/dashboard/figures";
import type { Series } from "@/lib/dashboard/queries";
import { FigureAge } from "@/app/_components/figure-age";
import { DayChart, DayTable } from "@/app/_components/day-chart";
import {
  Badge,
  Card,
  EmptyState,
  PageHeader,
  Table,
  Td,
  formatDateTime,
} from "@/app/_components/ui";

export const metadata: Metadata = { title: "Overview" };

const SERIES_TITLES: Record<Series["key"], string> = {
  signups: "Signups",
  accounts: "New chat accounts",
  jobs: "Jobs",
  failures: "Jobs failed for good",
};

const STATUS_LABELS: Record<string, string> = {
  PENDING: "Pending",
  ACTIVE: "Active",
  PAST_DUE: "Past due",
  SUSPENDED: "Suspended",
  CLOSING: "Closing",
  CLOSED: "Closed",
  TERMINATED: "Terminated",
};

function complianceColor(status: string) {
  if (status === "compliant") return "green" as const;
  if (status === "drifted") return "red" as const;
  return "slate" as const;
}

function money(cents: number, currency: string) {
  return new Intl.NumberFormat("en", { style: "currency", currency }).format(cents / 100);
}

function Figure({
  label,
  value,
  testId,
}: {
  label: string;
  value: React.ReactNode;
  testId: string;
}) {
  return (
    <div>
      <dt className="text-xs text-slate-600">{label}</dt>
      <dd className="text-lg font-semibold" data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}

export default async function ConsoleHome() {
  const user = await guardPage("console.view", "/console");
  const [figures, setup, recent] = await Promise.all([
    readDashboard(user),
    getSetupProgress(),
    can(user, "audit.read") ? listRecentAuditEvents(user, 8) : [],
  ]);
  const { dash, series } = figures.value;
  const customers = dash.customers;
  const servers = dash.servers.length;
  // From the per-server groups: one index walk instead of counting 300,000 rows again.
  const accounts = dash.servers.reduce((n, s) => n + s.accounts, 0);
  const rooms = dash.servers.reduce((n, s) => n + s.rooms, 0);
  const quiet = series.every((s) => s.points.every((p) => p.count === 0));
  const stats = [
    { label: "Customers", value: customers, href: "/console/customers" },
    { label: "XMPP accounts", value: accounts, href: "/console/accounts" },
    { label: "Rooms", value: rooms, href: "/console/rooms" },
    { label: "Servers", value: servers, href: "/console/servers" },
    {
      label: "Jobs waiting",
      value: dash.jobs.queued + dash.jobs.retrying + dash.jobs.running,
      href: "/console/jobs",
    },
  ];
  const steps = [
    {
      done: user.totpEnabled,
      text: "Turn on two-factor sign-in for your account",
      href: "/console/security",
    },
    {
      done: setup.plans,
      text: "Create a plan (seats, rooms, retention)",
      href: "/console/plans/new",
    },
    { done: setup.customers, text: "Add your first customer", href: "/console/customers/new" },
    { done: setup.servers, text: "Connect a backing XMPP server", href: "/console/servers" },
  ];
  return (
    <>
      <PageHeader
        title={`Hello, ${user.name}`}
        description="What is happening across your service."
      />
      <FigureAge figure={figures} what="Counts and charts" />
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
      <div className="mt-6 grid gap-6 md:grid-cols-2">
        <Card title="Customers by status">
          {customers === 0 ? (
            <p className="text-sm text-slate-600" data-testid="customers-empty">
              No customers yet. They appear here by status once you add one or someone signs up.
            </p>
          ) : (
            <dl className="grid grid-cols-3 gap-3">
              {Object.entries(dash.customersByStatus).map(([status, n]) => (
                <div key={status}>
                  <dt className="text-xs text-slate-600">{STATUS_LABELS[status] ?? status}</dt>
                  <dd>
                    <Link
                      href={`/console/customers?status=${status}`}
                      className="text-lg font-semibold hover:underline"
                      data-testid={`customers-${status}`}
                    >
                      {n}
                    </Link>
                  </dd>
                </div>
              ))}
            </dl>
          )}
        </Card>
        <Card title="Job queue">
          <dl className="grid grid-cols-3 gap-3">
            <Figure label="Queued" value={dash.jobs.queued} testId="jobs-queued" />
            <Figure label="Running" value={dash.jobs.running} testId="jobs-running" />
            <Figure
              label="Retrying after a failure"
              value={dash.jobs.retrying}
              testId="jobs-retrying"
            />
            <Figure label="Dead (out of attempts)" value={dash.jobs.dead} testId="jobs-dead" />
            <Figure
              label="Oldest waiting since"
              value={
                <span className="text-sm">
                  {dash.jobs.oldestWaitingSince
                    ? formatDateTime(dash.jobs.oldestWaitingSince)
                    : "nothing waiting"}
                </span>
              }
              testId="jobs-oldest"
            />
          </dl>
          {dash.jobs.dead > 0 ? (
            <Link
              href="/console/jobs?status=FAILED"
              className="mt-3 inline-block text-sm text-indigo-700 hover:underline"
            >
              See dead jobs →
            </Link>
          ) : null}
        </Card>
        {dash.billing ? (
          <Card title="Billing">
            <dl className="grid grid-cols-2 gap-3">
              <Figure
                label="Monthly recurring revenue"
                value={
                  dash.billing.mrr.length === 0
                    ? "0"
                    : dash.billing.mrr.map((m) => money(m.cents, m.currency)).join(" + ")
                }
                testId="billing-mrr"
              />
              <Figure
                label="Failed payments"
                value={dash.billing.failedPayments}
                testId="billing-failed"
              />
            </dl>
            <Link
              href="/console/billing"
              className="mt-3 inline-block text-sm text-indigo-700 hover:underline"
            >
              Billing →
            </Link>
          </Card>
        ) : null}
      </div>
      <div className="mt-6">
        {dash.servers.length === 0 ? (
          <EmptyState title="No servers connected yet">
            Accounts, rooms and compliance per server appear here once you{" "}
            <Link href="/console/servers" className="text-indigo-700 hover:underline">
              connect a backing XMPP server
            </Link>
            .
          </EmptyState>
        ) : (
          <Table
            head={["Server", "Chat accounts", "Rooms", "Status", "Compliance"]}
            caption="Servers"
          >
            {dash.servers.map((s) => (
              <tr key={s.id} data-testid={`server-${s.name}`}>
                <Td>
                  <Link
                    href={`/console/servers/${s.id}`}
                    className="text-indigo-700 hover:underline"
                  >
                    {s.name}
                  </Link>{" "}
                  <span className="text-xs text-slate-500">{s.kind.toLowerCase()}</span>
                  {s.enabled ? null : <span className="text-xs text-slate-500"> (disabled)</span>}
                </Td>
                <Td>{s.accounts}</Td>
                <Td>{s.rooms}</Td>
                <Td>{s.status}</Td>
                <Td>
                  <Badge color={complianceColor(s.complianceStatus)}>{s.complianceStatus}</Badge>{" "}
                  <span className="text-xs text-slate-500">
                    {s.complianceCheckedAt
                      ? `checked ${formatDateTime(s.complianceCheckedAt)}`
                      : "never checked"}
                  </span>
                </Td>
              </tr>
            ))}
          </Table>
        )}
      </div>
      <Card title="Last 30 days" className="mt-6">
        {quiet ? (
          <p className="mb-4 text-sm text-slate-600" data-testid="charts-empty">
            Nothing has happened yet in the last 30 days: the charts fill in as customers sign up
            and the queue does work.
          </p>
        ) : null}
        <div className="grid gap-6 sm:grid-cols-2">
          {series.map((s) => (
            <DayChart
              key={s.key}
              id={s.key}
              title={SERIES_TITLES[s.key]}
              points={s.points}
              color={s.key === "failures" ? "#e11d48" : "#4f46e5"}
            />
          ))}
        </div>
        <DayTable series={series.map((s) => ({ title: SERIES_TITLES[s.key], points: s.points }))} />
      </Card>
    </>
  );
}
