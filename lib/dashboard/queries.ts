import { prisma, isPostgresUrl } from "@/core/db";
import { now } from "@/core/clock";
import { getConfig } from "@/core/config";
import { Prisma } from "@/generated/sqlite/client";
import type { CustomerStatus } from "@/generated/sqlite/enums";
import type { Principal } from "@/lib/auth/policy";
import { FAILED_PAYMENT_STATUSES, MRR_STATUSES } from "@/lib/billing/queries";
import { billingEnabled } from "@/lib/billing/stripe-client";
import { jobsVisibleSql, jobsVisibleTo, seesBilling } from "@/lib/billing/visibility";
import { CUSTOMER_STATUSES } from "@/lib/validation/customers";
import { countServerUsage } from "@/lib/servers/usage";

// Reads of the console home. Grouped queries only (counts per status, server and day), so the
// page costs the same at 100,000 customers as on a new install.

export const SERIES_DAYS = 30;
const DAY_MS = 86_400_000;

export type DayCount = { day: string; count: number };
export type Series = { key: "signups" | "accounts" | "jobs" | "failures"; points: DayCount[] };

// The last `days` UTC days, oldest first, ending today.
export function lastDays(at: Date, days = SERIES_DAYS): string[] {
  const today = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
  return Array.from({ length: days }, (_, i) =>
    new Date(today - (days - 1 - i) * DAY_MS).toISOString().slice(0, 10),
  );
}

// Rows per UTC day of `column` from the day `from` ("YYYY-MM-DD"), grouped in SQL. SQLite keeps
// dates as ISO text (the day is its first ten characters, and any time on `from` sorts after
// the bare date); PostgreSQL keeps UTC timestamps.
async function countPerDay(
  table: "Customer" | "XmppAccount" | "Job",
  column: "createdAt" | "finishedAt",
  from: string,
  where: Prisma.Sql = Prisma.empty,
): Promise<Map<string, number>> {
  const t = Prisma.raw(`"${table}"`);
  const c = Prisma.raw(`"${column}"`);
  const rows = isPostgresUrl(getConfig().databaseUrl)
    ? await prisma.$queryRaw<{ day: string; n: bigint | number }[]>`
        SELECT to_char(${c}, 'YYYY-MM-DD') AS day, COUNT(*) AS n FROM ${t}
        WHERE ${c} >= ${new Date(`${from}T00:00:00.000Z`)} ${where} GROUP BY 1`
    : await prisma.$queryRaw<{ day: string; n: bigint | number }[]>`
        SELECT substr(${c}, 1, 10) AS day, COUNT(*) AS n FROM ${t}
        WHERE ${c} >= ${from} ${where} GROUP BY 1`;
  return new Map(rows.map((r) => [r.day, Number(r.n)]));
}

// Signups, new chat accounts, jobs and dead jobs per day over the last 30 days. Billing jobs
// only for viewers who see billing.
export async function getDashboardSeries(viewer: Principal, at = now()): Promise<Series[]> {
  const days = lastDays(at);
  const from = days[0];
  const jobScope = jobsVisibleSql(viewer);
  const [signups, accounts, jobs, failures] = await Promise.all([
    countPerDay("Customer", "createdAt", from),
    countPerDay("XmppAccount", "createdAt", from),
    countPerDay("Job", "createdAt", from, jobScope),
    countPerDay("Job", "finishedAt", from, Prisma.sql`AND "status" = 'FAILED' ${jobScope}`),
  ]);
  const fill = (m: Map<string, number>) => days.map((day) => ({ day, count: m.get(day) ?? 0 }));
  return [
    { key: "signups", points: fill(signups) },
    { key: "accounts", points: fill(accounts) },
    { key: "jobs", points: fill(jobs) },
    { key: "failures", points: fill(failures) },
  ];
}

export type ServerRow = {
  id: string;
  name: string;
  kind: string;
  status: string;
  enabled: boolean;
  complianceStatus: string;
  complianceCheckedAt: Date | null;
  accounts: number;
  rooms: number;
};

export type JobHealth = {
  queued: number;
  running: number;
  // Ran before (and failed or was cut off) and waits for another attempt.
  retrying: number;
  // Out of attempts (FAILED): they need a person.
  dead: number;
  oldestWaitingSince: Date | null;
};

export type Billing = {
  mrr: { currency: string; cents: number }[];
  failedPayments: number;
};

export type Dashboard = {
  customersByStatus: Record<CustomerStatus, number>;
  customers: number;
  servers: ServerRow[];
  jobs: JobHealth;
  // null when billing is off or the viewer may not see it.
  billing: Billing | null;
};

// Chat accounts and rooms per server (deleted ones left out), with each server's compliance.
async function serverRows(): Promise<ServerRow[]> {
  const [servers, usage] = await Promise.all([
    prisma.server.findMany({
      orderBy: { name: "asc" },
      select: {
        id: true,
        name: true,
        kind: true,
        status: true,
        enabled: true,
        complianceStatus: true,
        complianceCheckedAt: true,
      },
    }),
    countServerUsage(),
  ]);
  return servers.map((s) => ({ ...s, ...(usage[s.id] ?? { accounts: 0, rooms: 0 }) }));
}

async function jobHealth(viewer: Principal, at: Date): Promise<JobHealth> {
  const scope = jobsVisibleTo(viewer);
  const [byStatus, retried, oldest] = await Promise.all([
    prisma.job.groupBy({
      by: ["status"],
      where: { ...scope, status: { in: ["PENDING", "RUNNING", "FAILED"] } },
      _count: { _all: true },
    }),
    // groupBy, not count: Prisma's count reads the rows' ids, which no index here covers.
    prisma.job.groupBy({
      by: ["status"],
      where: { ...scope, status: "PENDING", attempts: { gt: 0 } },
      _count: { _all: true },
    }),
    prisma.job.findFirst({
      where: { ...scope, status: "PENDING", runAt: { lte: at } },
      orderBy: { runAt: "asc" },
      select: { runAt: true },
    }),
  ]);
  const n = (s: string) => byStatus.find((g) => g.status === s)?._count._all ?? 0;
  const retrying = retried[0]?._count._all ?? 0;
  return {
    queued: n("PENDING") - retrying,
    running: n("RUNNING"),
    retrying,
    dead: n("FAILED"),
    oldestWaitingSince: oldest?.runAt ?? null,
  };
}

// Monthly recurring revenue and failed payments, by the same rules as the Billing page.
async function billingFigures(): Promise<Billing> {
  const [perPlan, failedPayments] = await Promise.all([
    prisma.customer.groupBy({
      by: ["planId"],
      where: { planId: { not: null }, subscription: { status: { in: [...MRR_STATUSES] } } },
      _count: { _all: true },
    }),
    prisma.subscription.count({ where: { status: { in: [...FAILED_PAYMENT_STATUSES] } } }),
  ]);
  const plans = await prisma.plan.findMany({
    where: { id: { in: perPlan.map((g) => g.planId as string) } },
    select: { id: true, priceCents: true, currency: true },
  });
  const mrr = new Map<string, number>();
  for (const g of perPlan) {
    const plan = plans.find((p) => p.id === g.planId);
    if (plan?.priceCents)
      mrr.set(plan.currency, (mrr.get(plan.currency) ?? 0) + plan.priceCents * g._count._all);
  }
  return {
    mrr: [...mrr.entries()].map(([currency, cents]) => ({ currency, cents })),
    failedPayments,
  };
}

// Everything on the console home but the charts, scoped to the viewer: billing figures only for
// viewers with billing.read and only when Stripe is configured; billing jobs likewise.
export async function getDashboard(viewer: Principal, at = now()): Promise<Dashboard> {
  const [statusGroups, servers, jobs, billing] = await Promise.all([
    prisma.customer.groupBy({ by: ["status"], _count: { _all: true } }),
    serverRows(),
    jobHealth(viewer, at),
    seesBilling(viewer) && billingEnabled() ? billingFigures() : null,
  ]);
  const customersByStatus = Object.fromEntries(CUSTOMER_STATUSES.map((s) => [s, 0])) as Record<
    CustomerStatus,
    number
  >;
  for (const g of statusGroups) customersByStatus[g.status] = g._count._all;
  return {
    customersByStatus,
    customers: statusGroups.reduce((n, g) => n + g._count._all, 0),
    servers,
    jobs,
    billing,
  };
}
