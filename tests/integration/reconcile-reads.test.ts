import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/core/db";
import { liveAccountsNamed, liveLocalparts } from "@/lib/servers/reconcile-reads";
import { enqueueMany } from "@/lib/jobs/job-types";
import { latestDriftReport } from "@/lib/servers/queries";

// The reads and writes behind reconciling a server at 100,000 accounts, on both databases:
// the live localparts of one server (and only those), ids for the ones to repair, and
// repairs queued in batches that skip what an earlier attempt already queued.

let serverId = "";
let otherServerId = "";
const ids: Record<string, string> = {};

beforeAll(async () => {
  const customer = await prisma.customer.create({
    data: { name: "Reconcile Reads", contactEmail: "rr@parley.test" },
  });
  const server = (name: string) =>
    prisma.server.create({
      data: { name, kind: "EJABBERD", domain: `${name}.example`, apiUrl: "http://127.0.0.1:1" },
    });
  serverId = (await server("rr-one")).id;
  otherServerId = (await server("rr-two")).id;
  for (const [localpart, status, on] of [
    ["alice", "ACTIVE", serverId],
    ["bob", "SUSPENDED", serverId],
    ["carol", "PENDING", serverId],
    ["dave", "DELETED", serverId],
    ["erin", "FAILED", serverId],
    ["frank", "DELETING", serverId],
    ["gina", "ACTIVE", otherServerId],
  ] as const) {
    const a = await prisma.xmppAccount.create({
      data: { customerId: customer.id, serverId: on, localpart, domain: "x.example", status },
    });
    ids[localpart] = a.id;
  }
});

describe(`reconcile reads (${process.env.PARLEY_TEST_DB})`, () => {
  it("lists exactly the live localparts of one server", async () => {
    expect((await liveLocalparts(prisma, serverId)).sort()).toEqual(["alice", "bob"]);
    expect(await liveLocalparts(prisma, otherServerId)).toEqual(["gina"]);
    expect(await liveLocalparts(prisma, "no-such-server")).toEqual([]);
  });

  it("finds the ids of live accounts by localpart, in batches", async () => {
    const found = await liveAccountsNamed(prisma, serverId, ["alice", "carol", "gina", "bob"]);
    expect(found.map((a) => [a.localpart, a.id]).sort()).toEqual([
      ["alice", ids.alice],
      ["bob", ids.bob],
    ]);
  });

  it("queues many jobs at once and skips keys already queued", async () => {
    const job = (accountId: string) => ({
      payload: { accountId },
      options: { idempotencyKey: `rr:${accountId}`, serverId, subjectId: accountId },
    });
    expect(await enqueueMany(prisma, "account.recreate", [job(ids.alice)])).toBe(1);
    expect(
      await enqueueMany(prisma, "account.recreate", [job(ids.alice), job(ids.bob), job(ids.erin)]),
    ).toBe(2);
    const jobs = await prisma.job.findMany({
      where: { idempotencyKey: { startsWith: "rr:" } },
      select: { type: true, subjectId: true, serverId: true, status: true },
    });
    expect(jobs.map((j) => j.subjectId).sort()).toEqual([ids.alice, ids.bob, ids.erin].sort());
    expect(new Set(jobs.map((j) => `${j.type} ${j.serverId} ${j.status}`))).toEqual(
      new Set([`account.recreate ${serverId} PENDING`]),
    );
    expect(await enqueueMany(prisma, "account.recreate", [])).toBe(0);
  });

  it("refuses a malformed payload before writing anything", async () => {
    const before = await prisma.job.count();
    await expect(
      enqueueMany(prisma, "account.recreate", [
        { payload: { accountId: ids.gina } },
        { payload: {} as { accountId: string } },
      ]),
    ).rejects.toThrow();
    expect(await prisma.job.count()).toBe(before);
  });

  it("shows no drift report for a finished reconcile job without one", async () => {
    const finished = (result: object | null, at: string) =>
      prisma.job.create({
        data: {
          type: "server.reconcile",
          payload: { serverId: otherServerId },
          serverId: otherServerId,
          status: "SUCCEEDED",
          finishedAt: new Date(at),
          ...(result ? { result } : {}),
        },
      });
    await finished({ mode: "dry-run", missingAccounts: ["x"], unknownAccounts: [] }, "2026-01-01");
    expect((await latestDriftReport(otherServerId))?.report.missingAccounts).toEqual(["x"]);
    await finished(null, "2026-01-02");
    expect(await latestDriftReport(otherServerId)).toBeNull();
  });
});
