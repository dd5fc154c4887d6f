import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/core/db";
import { resetClock, setClock } from "@/core/clock";
import type { Principal } from "@/lib/auth/policy";
import { getDashboard, getDashboardSeries, lastDays, type Series } from "@/lib/dashboard/queries";
import { getSetupProgress, readDashboard } from "@/lib/dashboard/figures";
import { createUser } from "../helpers/fixtures";

// The console home's figures from seeded rows: customers per status, accounts and rooms per
// server, the job queue's health, MRR and failed payments (admins, billing on), and 30 days of
// counts per day; support never gets billing figures or billing jobs.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const dayStart = Date.UTC(
  new Date().getUTCFullYear(),
  new Date().getUTCMonth(),
  new Date().getUTCDate(),
);
// The dashboard is read at 20:00 UTC today; rows are placed in days relative to it.
const at = new Date(dayStart + 20 * HOUR);
const daysAgo = (n: number, hour = 2) => new Date(dayStart - n * DAY + hour * HOUR);

let admin: Principal;
let support: Principal;

beforeAll(async () => {
  admin = await createUser("ADMIN");
  support = await createUser("SUPPORT");
});
afterEach(() => {
  delete process.env.STRIPE_SECRET_KEY;
  resetClock();
});

const perDay = (series: Series[], key: Series["key"]) =>
  Object.fromEntries(
    series
      .find((s) => s.key === key)!
      .points.filter((p) => p.count > 0)
      .map((p) => [p.day, p.count]),
  );
const day = (n: number) => new Date(dayStart - n * DAY).toISOString().slice(0, 10);

describe("dashboard", () => {
  // Runs first, on the still empty database.
  it("gives zeros and 30 empty days on a new install", async () => {
    process.env.STRIPE_SECRET_KEY = "sk_test_double";
    const d = await getDashboard(admin, at);
    expect(d.customers).toBe(0);
    expect(Object.values(d.customersByStatus)).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(d.servers).toEqual([]);
    expect(d.jobs).toEqual({
      queued: 0,
      running: 0,
      retrying: 0,
      dead: 0,
      oldestWaitingSince: null,
    });
    expect(d.billing).toEqual({ mrr: [], failedPayments: 0 });
    const series = await getDashboardSeries(admin, at);
    expect(series.map((s) => s.key)).toEqual(["signups", "accounts", "jobs", "failures"]);
    for (const s of series) {
      expect(s.points).toHaveLength(30);
      expect(s.points.at(-1)!.day).toBe(day(0));
      expect(s.points[0].day).toBe(day(29));
      expect(s.points.every((p) => p.count === 0)).toBe(true);
    }
    expect(await getSetupProgress()).toEqual({ plans: false, customers: false, servers: false });
  });

  it("counts seeded rows per status, server and day", async () => {
    const [eur, usd, free] = await Promise.all([
      prisma.plan.create({
        data: { name: "Eur", seats: 5, rooms: 1, retentionDays: 30, priceCents: 1000 },
      }),
      prisma.plan.create({
        data: {
          name: "Usd",
          seats: 5,
          rooms: 1,
          retentionDays: 30,
          priceCents: 2500,
          currency: "USD",
        },
      }),
      prisma.plan.create({ data: { name: "Free", seats: 5, rooms: 1, retentionDays: 30 } }),
    ]);
    const customers = [
      ["ACTIVE", 0, eur.id, "ACTIVE"],
      ["ACTIVE", 0, eur.id, "TRIALING"],
      ["PAST_DUE", 2, usd.id, "PAST_DUE"],
      ["SUSPENDED", 2, usd.id, "UNPAID"],
      ["PENDING", 29, eur.id, "INCOMPLETE"],
      // Before the 30 days: counted by status, not in the chart.
      ["CLOSED", 40, eur.id, "CANCELED"],
      ["ACTIVE", 29, free.id, null],
    ] as const;
    const ids: string[] = [];
    for (const [i, [status, ago, planId, sub]] of customers.entries()) {
      const c = await prisma.customer.create({
        data: {
          name: `C${i}`,
          contactEmail: `c${i}@parley.test`,
          status,
          planId,
          createdAt: daysAgo(ago),
          ...(sub
            ? { subscription: { create: { stripeSubscriptionId: `sub_${i}`, status: sub } } }
            : {}),
        },
      });
      ids.push(c.id);
    }
    const server = (name: string, extra = {}) =>
      prisma.server.create({
        data: {
          name,
          kind: "EJABBERD",
          domain: `${name}.test`,
          mucDomain: `muc.${name}.test`,
          ...extra,
        },
      });
    const alpha = await server("alpha", {
      complianceStatus: "compliant",
      complianceCheckedAt: daysAgo(0),
    });
    const beta = await server("beta", { kind: "PROSODY" });
    await server("gamma");
    let n = 0;
    const account = (serverId: string, status: string, createdAt: Date) =>
      prisma.xmppAccount.create({
        data: {
          customerId: ids[0],
          serverId,
          localpart: `u${n++}`,
          domain: "d.test",
          status: status as "ACTIVE",
          createdAt,
        },
      });
    await account(alpha.id, "ACTIVE", daysAgo(0));
    await account(alpha.id, "ACTIVE", daysAgo(0, 23));
    await account(alpha.id, "ACTIVE", daysAgo(0, 0));
    await account(alpha.id, "DELETED", daysAgo(0));
    await account(alpha.id, "SUSPENDED", daysAgo(1));
    await account(beta.id, "PENDING", daysAgo(35));
    for (const status of ["ACTIVE", "ACTIVE", "DELETED"] as const)
      await prisma.room.create({
        data: {
          customerId: ids[0],
          serverId: alpha.id,
          name: `r${n++}`,
          domain: "muc.d.test",
          status,
        },
      });
    const job = (data: {
      type?: string;
      status: "PENDING" | "RUNNING" | "FAILED" | "SUCCEEDED";
      createdAt: Date;
      runAt?: Date;
      attempts?: number;
      lastError?: string;
      finishedAt?: Date;
    }) => prisma.job.create({ data: { type: "account.create", payload: {}, ...data } });
    await job({
      status: "PENDING",
      createdAt: daysAgo(0),
      runAt: new Date(at.getTime() - 3 * HOUR),
    });
    await job({ status: "PENDING", createdAt: daysAgo(0), runAt: new Date(at.getTime() + HOUR) });
    await job({
      status: "PENDING",
      createdAt: daysAgo(0),
      runAt: new Date(at.getTime() - HOUR),
      attempts: 1,
      lastError: "refused",
    });
    await job({ status: "RUNNING", createdAt: daysAgo(0) });
    await job({ status: "FAILED", createdAt: daysAgo(1), finishedAt: daysAgo(0, 5) });
    await job({ status: "FAILED", createdAt: daysAgo(1), finishedAt: daysAgo(0, 6) });
    const billingJob = (status: "PENDING" | "FAILED" | "SUCCEEDED", extra = {}) =>
      job({ type: "billing.tick", status, createdAt: daysAgo(0), ...extra });
    await billingJob("PENDING", { runAt: new Date(at.getTime() - 5 * HOUR) });
    await billingJob("FAILED", { finishedAt: daysAgo(0, 7) });
    await billingJob("SUCCEEDED");

    process.env.STRIPE_SECRET_KEY = "sk_test_double";
    const d = await getDashboard(admin, at);
    expect(d.customers).toBe(7);
    expect(d.customersByStatus).toEqual({
      PENDING: 1,
      ACTIVE: 3,
      PAST_DUE: 1,
      SUSPENDED: 1,
      CLOSING: 0,
      CLOSED: 1,
      TERMINATED: 0,
    });
    expect(
      d.servers.map((s) => [
        s.name,
        s.accounts,
        s.rooms,
        s.complianceStatus,
        !!s.complianceCheckedAt,
      ]),
    ).toEqual([
      ["alpha", 4, 2, "compliant", true],
      ["beta", 1, 0, "unknown", false],
      ["gamma", 0, 0, "unknown", false],
    ]);
    expect(d.jobs).toEqual({
      queued: 3,
      running: 1,
      retrying: 1,
      dead: 3,
      oldestWaitingSince: new Date(at.getTime() - 5 * HOUR),
    });
    expect(d.billing!.failedPayments).toBe(3);
    expect(d.billing!.mrr.sort((a, b) => a.currency.localeCompare(b.currency))).toEqual([
      { currency: "EUR", cents: 2000 },
      { currency: "USD", cents: 2500 },
    ]);

    const series = await getDashboardSeries(admin, at);
    expect(perDay(series, "signups")).toEqual({ [day(29)]: 2, [day(2)]: 2, [day(0)]: 2 });
    expect(perDay(series, "accounts")).toEqual({ [day(1)]: 1, [day(0)]: 4 });
    expect(perDay(series, "jobs")).toEqual({ [day(1)]: 2, [day(0)]: 7 });
    expect(perDay(series, "failures")).toEqual({ [day(0)]: 3 });

    // Support: no billing figures, no billing jobs, same customers and servers.
    const s = await getDashboard(support, at);
    expect(s.billing).toBeNull();
    expect(s.customersByStatus).toEqual(d.customersByStatus);
    expect(s.servers).toEqual(d.servers);
    expect(s.jobs).toEqual({
      queued: 2,
      running: 1,
      retrying: 1,
      dead: 2,
      oldestWaitingSince: new Date(at.getTime() - 3 * HOUR),
    });
    const supportSeries = await getDashboardSeries(support, at);
    expect(perDay(supportSeries, "jobs")).toEqual({ [day(1)]: 2, [day(0)]: 4 });
    expect(perDay(supportSeries, "failures")).toEqual({ [day(0)]: 2 });
    expect(perDay(supportSeries, "signups")).toEqual(perDay(series, "signups"));

    // Billing off: no billing figures even for an admin.
    delete process.env.STRIPE_SECRET_KEY;
    expect((await getDashboard(admin, at)).billing).toBeNull();
  });

  it("serves each viewer's figures through the cache with their dates intact", async () => {
    process.env.STRIPE_SECRET_KEY = "sk_test_double";
    setClock(() => at);
    const live = await readDashboard(admin);
    expect(live.value.dash).toEqual(await getDashboard(admin, at));
    expect(await getSetupProgress()).toEqual({ plans: true, customers: true, servers: true });
    // Pretend the figures were costly to compute: the next view reads the stored copy.
    await prisma.cachedFigure.updateMany({ data: { computeMs: 10_000 } });
    const cached = await readDashboard(admin);
    expect(cached.cached).toBe(true);
    expect(cached.value).toEqual(live.value);
    expect(cached.value.dash.jobs.oldestWaitingSince).toBeInstanceOf(Date);
    // Support has its own copy: no billing figures, no billing jobs.
    const forSupport = await readDashboard(support);
    expect(forSupport.value.dash.billing).toBeNull();
    expect(cached.value.dash.billing).not.toBeNull();
  });

  it("lists the last 30 UTC days ending today", () => {
    const days = lastDays(new Date("2026-03-01T23:59:59Z"));
    expect(days).toHaveLength(30);
    expect(days[0]).toBe("2026-01-31");
    expect(days.at(-1)).toBe("2026-03-01");
  });
});
