import { prisma } from "@/core/db";
import type { Principal } from "@/lib/auth/policy";
import { billingEnabled } from "@/lib/billing/stripe-client";
import { seesBilling } from "@/lib/billing/visibility";
import { readFigure, type Figure } from "@/lib/stats/cached-figure";
import { getDashboard, getDashboardSeries, type Dashboard, type Series } from "./queries";

// The console home's figures through the shared cache (lib/stats/cached-figure.ts): live on a
// small install, at most DASHBOARD_MAX_AGE_MS old once they cost a scan. What a viewer sees
// depends only on whether they see billing, so that is the key.
export const DASHBOARD_MAX_AGE_MS = 30_000;

export type DashboardFigures = { dash: Dashboard; series: Series[] };

const toDate = (v: unknown) => (typeof v === "string" ? new Date(v) : null);

function revive(json: unknown): DashboardFigures {
  const { dash, series } = json as DashboardFigures;
  return {
    series,
    dash: {
      ...dash,
      servers: dash.servers.map((s) => ({
        ...s,
        complianceCheckedAt: toDate(s.complianceCheckedAt),
      })),
      jobs: { ...dash.jobs, oldestWaitingSince: toDate(dash.jobs.oldestWaitingSince) },
    },
  };
}

export function readDashboard(viewer: Principal): Promise<Figure<DashboardFigures>> {
  const scope = `${seesBilling(viewer) ? "billing" : "no-billing"}:${billingEnabled() ? "on" : "off"}`;
  return readFigure({
    key: `dashboard:${scope}`,
    maxAgeMs: DASHBOARD_MAX_AGE_MS,
    compute: async () => {
      const [dash, series] = await Promise.all([getDashboard(viewer), getDashboardSeries(viewer)]);
      return { dash, series };
    },
    revive,
  });
}

// The console home's first-run checklist, live whatever the cache holds (a new operator who
// just added a customer expects the tick): one statement of three existence checks.
export async function getSetupProgress() {
  const [row] = await prisma.$queryRaw<
    Record<"plans" | "customers" | "servers", bigint | number>[]
  >`
    SELECT
      (SELECT count(*) FROM (SELECT 1 FROM "Plan" WHERE "archivedAt" IS NULL LIMIT 1) p) AS plans,
      (SELECT count(*) FROM (SELECT 1 FROM "Customer" LIMIT 1) c) AS customers,
      (SELECT count(*) FROM (SELECT 1 FROM "Server" LIMIT 1) s) AS servers`;
  return {
    plans: Number(row.plans) > 0,
    customers: Number(row.customers) > 0,
    servers: Number(row.servers) > 0,
  };
}
