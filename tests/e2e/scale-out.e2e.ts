import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import path from "node:path";
import { hashPassword } from "@/lib/auth/password";
import { MAX_FAILED_LOGINS } from "@/lib/auth/sign-in";
import { USERNAME_CHECKS_PER_INVITE } from "@/lib/invites/username-check";
import { startEjabberd, type EjabberdInstance } from "../harness/ejabberd";
import { waitFor } from "../harness/processes";
import { SUITE_FORWARDED_FOR, SUITE_REAL_IP, TEST_PASSWORD } from "../helpers/e2e-browser";
import { startFleet, type Fleet } from "../helpers/e2e-fleet";
import { HttpClient, hiddenFormFields } from "../helpers/e2e-http";
import { inParallel, redirectedTo, submitForm } from "../helpers/e2e-forms";
import { REPO_ROOT, TEST_ACTIONS_KEY } from "../helpers/e2e-server";

// ACCEPTANCE (issue 13, "several processes"): two consoles and three workers on one real
// PostgreSQL, one real ejabberd. Staff work and invitees register through both consoles at
// once (each form fetched from one console and posted to the other, one session for both);
// a worker is killed with SIGKILL mid-run; the drift check is scheduled every few seconds.
// Then: every account exists once on ejabberd and once in the database, ACTIVE; every job
// succeeded; the schedule ran once per period; rate limits count across both consoles.

const ACCOUNTS = 1_000;
const REDEMPTIONS = 200;
const INVITES = 8; // 25 uses each
const INTERVAL_S = 5; // the setting's minimum
const SESSION = "next-auth.session-token";
const admin = { email: "ops@scale.test", password: TEST_PASSWORD };
const victim = { email: "victim@scale.test", password: TEST_PASSWORD };
const forwarded = { "X-Forwarded-For": SUITE_FORWARDED_FOR, "X-Real-IP": SUITE_REAL_IP };

let ej: EjabberdInstance;
let fleet: Fleet;
let staff: HttpClient[]; // one per console, one session
let serverId = "";
let interrupted: string[] = []; // jobs the killed worker held
const customers: string[] = [];

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const other = <T>(list: T[], i: number) => list[(i + 1) % list.length];

const registeredOnServer = async (): Promise<string[]> => {
  const res = await fetch(`${ej.apiUrl}/registered_users`, {
    method: "POST",
    headers: { authorization: `Bearer ${await ej.mintToken()}` },
    body: JSON.stringify({ host: ej.vhost }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as string[];
};

beforeAll(async () => {
  [ej, fleet] = await Promise.all([
    startEjabberd(),
    startFleet({
      consoles: 2,
      workers: 3,
      env: {
        PARLEY_WORKER_CONCURRENCY: "6",
        PARLEY_WORKER_LEASE_MS: "4000",
        PARLEY_RECONCILE_INTERVAL_SECONDS: String(INTERVAL_S),
      },
      async seed(db) {
        const passwordHash = await hashPassword(TEST_PASSWORD);
        await db.user.create({
          data: { email: admin.email, name: "Ops", role: "ADMIN", passwordHash },
        });
        const { email } = victim;
        await db.user.create({ data: { email, name: "Vic", role: "SUPPORT", passwordHash } });
      },
    }),
  ]);
  staff = fleet.consoles.map((c) => new HttpClient(c.url, { headers: forwarded }));
}, 300_000);

afterAll(async () => {
  await fleet?.stop();
  await ej?.stop();
});

describe("two consoles and three workers on one PostgreSQL", () => {
  it("the consoles run one build, made with the server-actions key npm start passed it", () => {
    const manifest = path.join(REPO_ROOT, ".next/server/server-reference-manifest.json");
    const { encryptionKey } = JSON.parse(readFileSync(manifest, "utf8")) as {
      encryptionKey: string;
    };
    expect(encryptionKey).toBe(TEST_ACTIONS_KEY);
  });

  it("a session from one console works on the other; forms from one post to the other", async () => {
    const [a, b] = staff;
    expect((await a.signIn(admin.email, admin.password)).status).toBe(200);
    b.setCookie(SESSION, a.cookie(SESSION)!);
    expect((await b.request("/console/servers")).status).toBe(200);

    const server = await submitForm(a, b, "/console/servers/new", "Add server", {
      name: "ejabberd cluster",
      kind: "EJABBERD",
      domain: ej.vhost,
      mucDomain: ej.mucDomain,
      transport: "LOCAL",
      apiUrl: ej.apiUrl,
      apiToken: await ej.mintToken(),
      isDefault: "on",
    });
    serverId = redirectedTo(server, /\/console\/servers\/([^/?]+)\?created=1$/)[1];
    const plan = await submitForm(b, a, "/console/plans/new", "Create plan", {
      name: "Scale",
      description: "",
      seats: "400",
      rooms: "1",
      retentionDays: "7",
      price: "",
      currency: "EUR",
    });
    redirectedTo(plan, /\/console\/plans\?created=1$/);
    const planId = (await fleet.db.plan.findFirstOrThrow({ where: { name: "Scale" } })).id;
    for (const i of range(6)) {
      const [from, to] = i % 2 ? [a, b] : [b, a];
      const res = await submitForm(from, to, "/console/customers/new", "Add customer", {
        name: `Customer ${i}`,
        kind: "COMPANY",
        contactEmail: `c${i}@scale.test`,
        planId,
        notes: "",
      });
      customers.push(redirectedTo(res, /\/console\/customers\/([^/?]+)\?created=1$/)[1]);
    }
  });

  it(`${ACCOUNTS} account creations and ${REDEMPTIONS} invite redemptions through both consoles, one worker killed mid-run`, async () => {
    const [accountCustomers, inviteCustomer] = [customers.slice(0, 4), customers[4]];
    const accountForm = hiddenFormFields(
      (await staff[0].request("/console/accounts")).body,
      "Create account",
    );
    const tokens: string[] = [];
    for (const i of range(INVITES)) {
      const res = await submitForm(
        staff[i % 2],
        other(staff, i),
        "/console/invites",
        "Create invite",
        {
          customerId: inviteCustomer,
          kind: "ACCOUNT",
          expiry: "7d",
          maxUses: String(REDEMPTIONS / INVITES),
          localpart: "",
          note: "",
        },
      );
      expect(res.status, res.body.slice(0, 300)).toBe(200);
      tokens.push(res.body.match(/\/invite\/([A-Za-z0-9_-]{43})/)![1]);
    }
    const invitees = fleet.consoles.map((c) => new HttpClient(c.url, { headers: forwarded }));

    const createAccounts = inParallel(range(ACCOUNTS), 8, async (i) => {
      const to = staff[i % 2];
      const res = await to.postMultipart(
        "/console/accounts",
        [
          ...accountForm,
          ["customerId", accountCustomers[i % accountCustomers.length]],
          ["serverId", serverId],
          ["localpart", `acct${i}`],
          ["displayName", ""],
          ["password", `password-of-acct${i}`],
        ],
        { origin: to.baseUrl },
      );
      redirectedTo(res, /\/console\/accounts\/[^/?]+\?created=1$/);
    });
    const redeem = inParallel(range(REDEMPTIONS), 4, async (j) => {
      const [from, to] = [invitees[j % 2], other(invitees, j)];
      const token = tokens[j % INVITES];
      const landing = await from.request(`/invite/${token}`);
      expect(landing.status).toBe(200);
      const check = await to.request(`/api/invites/${token}/username?name=inv${j}`);
      expect(JSON.parse(check.body)).toMatchObject({ available: true });
      const res = await to.postMultipart(
        `/invite/${token}`,
        [
          ...hiddenFormFields(landing.body, "Create my account"),
          ["localpart", `inv${j}`],
          ["password", `password-of-inv${j}`],
          ["confirm", `password-of-inv${j}`],
        ],
        { origin: to.baseUrl },
      );
      redirectedTo(res, /\/invite\/welcome\/[A-Za-z0-9_-]+$/);
    });
    // Mid-run, the worker holding the most jobs dies without a word.
    const killed = (async () => {
      await waitFor(
        async () =>
          (await fleet.db.job.count({
            where: { type: "account.create", status: "SUCCEEDED" },
          })) >= 300,
        "300 accounts on ejabberd",
        120_000,
        20,
      );
      return fleet.killBusiestWorker();
    })();
    const started = Date.now();
    [interrupted] = await Promise.all([killed, createAccounts, redeem]);
    const posted = (Date.now() - started) / 1000;

    // The jobs the dead worker held are taken over once their lease runs out.
    await waitFor(
      async () =>
        (await fleet.db.job.count({
          where: { type: { not: "server.reconcile" }, status: { in: ["PENDING", "RUNNING"] } },
        })) === 0,
      "every job to finish",
      180_000,
      500,
    );
    const takenOver = await fleet.db.job.findMany({ where: { id: { in: interrupted } } });
    expect(takenOver.length).toBeGreaterThan(0);
    for (const job of takenOver)
      expect([job.status, job.attempts >= 2]).toEqual(["SUCCEEDED", true]);
    console.log(
      `[scale-out] ${ACCOUNTS + REDEMPTIONS} accounts posted in ${posted.toFixed(1)} s, all on ` +
        `ejabberd ${((Date.now() - started) / 1000).toFixed(1)} s after the first post; ` +
        `${takenOver.length} job(s) of the killed worker taken over`,
    );
  }, 600_000);

  it("every account exists exactly once on ejabberd and in the database, ACTIVE; no job was lost", async () => {
    const wanted = [
      ...range(ACCOUNTS).map((i) => `acct${i}`),
      ...range(REDEMPTIONS).map((j) => `inv${j}`),
    ];
    const onServer = await registeredOnServer();
    expect([...onServer].sort()).toEqual(["admin", ...wanted].sort());
    const rows = await fleet.db.xmppAccount.groupBy({
      by: ["localpart", "status"],
      _count: { _all: true },
    });
    expect(rows.length).toBe(wanted.length);
    expect(rows.every((r) => r.status === "ACTIVE" && r._count._all === 1)).toBe(true);
    expect(new Set(rows.map((r) => r.localpart))).toEqual(new Set(wanted));

    const jobs = await fleet.db.job.groupBy({ by: ["type", "status"], _count: { _all: true } });
    const notDone = jobs.filter((j) => j.status !== "SUCCEEDED" && j.type !== "server.reconcile");
    expect(notDone).toEqual([]);
    const created = jobs.find((j) => j.type === "account.create");
    expect(created?._count._all).toBe(wanted.length);
    // Fencing: no job ever recorded two successful runs.
    const twice = await fleet.db.jobRun.groupBy({
      by: ["jobId"],
      where: { outcome: "succeeded" },
      _count: { _all: true },
      having: { jobId: { _count: { gt: 1 } } },
    });
    expect(twice).toEqual([]);
    // Only the killed worker's jobs needed a second attempt: nothing else failed on the way.
    const retried = await fleet.db.job.findMany({
      where: { attempts: { gt: 1 }, id: { notIn: interrupted } },
      select: { type: true, runs: { select: { outcome: true, error: true } } },
    });
    expect(retried).toEqual([]);
  });

  it("the drift check ran exactly once per period, on its grid, every run succeeded", async () => {
    const { db } = fleet;
    const name = `reconcile:${serverId}`;
    await db.scheduledTask.update({ where: { name }, data: { enabled: false } });
    const stoppedAt = Date.now();
    // A scheduler that read the task just before may still enqueue its due slot.
    await new Promise((r) => setTimeout(r, 2_000));
    await waitFor(
      async () =>
        (await db.job.count({
          where: { type: "server.reconcile", status: { in: ["PENDING", "RUNNING"] } },
        })) === 0,
      "the last drift check to finish",
      60_000,
      200,
    );
    const task = await db.scheduledTask.findUniqueOrThrow({ where: { name } });
    expect(task.intervalSeconds).toBe(INTERVAL_S);
    const runs = await db.job.findMany({
      where: { type: "server.reconcile" },
      select: { idempotencyKey: true, status: true },
    });
    const prefix = `schedule:${name}:`;
    expect(
      runs.every((r) => r.idempotencyKey?.startsWith(prefix) && r.status === "SUCCEEDED"),
    ).toBe(true);
    const slots = runs
      .map((r) => Date.parse(r.idempotencyKey!.slice(prefix.length)))
      .sort((x, y) => x - y);
    const period = INTERVAL_S * 1000;
    // One run per slot and no slot skipped: consecutive slots one period apart.
    expect(slots).toEqual(slots.map((_, k) => slots[0] + k * period));
    expect(task.nextRunAt.getTime()).toBe(slots.at(-1)! + period);
    // And none was missing at the end: the schedule was at most a few seconds behind.
    expect(task.nextRunAt.getTime()).toBeGreaterThan(stoppedAt - 5_000);
    expect(slots.length).toBeGreaterThanOrEqual(4);
    console.log(`[scale-out] ${slots.length} drift checks, one per ${INTERVAL_S} s slot`);
  });

  it("rate limits count across both consoles: invite username checks and the sign-in lockout", async () => {
    const [a, b] = staff;
    const res = await submitForm(a, b, "/console/invites", "Create invite", {
      customerId: customers[5],
      kind: "ACCOUNT",
      expiry: "7d",
      maxUses: "1",
      localpart: "",
      note: "",
    });
    const token = res.body.match(/\/invite\/([A-Za-z0-9_-]{43})/)![1];
    const strangers = fleet.consoles.map((c) => new HttpClient(c.url, { headers: forwarded }));
    const statuses: number[] = [];
    const { limit } = USERNAME_CHECKS_PER_INVITE;
    await inParallel(range(limit + 10), 10, async (k) => {
      const r = await strangers[k % 2].request(`/api/invites/${token}/username?name=probe${k}`);
      statuses.push(r.status);
    });
    expect(statuses.filter((s) => s === 200)).toHaveLength(limit);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10);

    // Ten wrong passwords, alternating consoles: the lock comes at the tenth, not the twentieth.
    const user = () => fleet.db.user.findUniqueOrThrow({ where: { email: victim.email } });
    for (const k of range(MAX_FAILED_LOGINS - 1))
      expect((await strangers[k % 2].signIn(victim.email, `wrong password ${k}`)).status).toBe(401);
    expect((await user()).lockedUntil).toBeNull();
    expect((await strangers[1].signIn(victim.email, "one wrong password too many")).status).toBe(
      401,
    );
    expect((await user()).lockedUntil).not.toBeNull();
    expect((await strangers[0].signIn(victim.email, victim.password)).status).toBe(401);
    const victimId = (await user()).id;
    expect(
      await fleet.db.auditEvent.count({ where: { action: "user.locked", targetId: victimId } }),
    ).toBe(1);
  });
});
