import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/core/db";
import { createUser, createWorld, type Actor, type World } from "@/tests/helpers/fixtures";
import { ZStartBulk, cancelBulk, retryBulk, startBulk } from "@/lib/bulk/start-bulk";
import { runBulk } from "@/lib/bulk/run-bulk";
import { getBulkProgress, listBulkProblems } from "@/lib/bulk/queries";
import { parseReasons } from "@/provisioning/suspension";

// Bulk operations over real rows on both databases: a filter becomes exactly its matching rows,
// each item goes through the single-row domain path (and its provisioning job is tagged for
// progress), cancel stops the rest, retry takes only what failed, and parallel runners never
// apply an item twice.

let world: World;
let domain: string;
const live = () => new AbortController().signal;

async function addAccounts(n: number, prefix: string, customerId = world.customerId) {
  await prisma.xmppAccount.createMany({
    data: Array.from({ length: n }, (_, i) => ({
      customerId,
      serverId: world.serverId,
      localpart: `${prefix}${String(i).padStart(3, "0")}`,
      domain,
      status: "ACTIVE" as const,
    })),
  });
}

const start = (actor: Actor, values: Record<string, unknown>) =>
  startBulk(ZStartBulk.parse(values), actor);

beforeAll(async () => {
  world = await createWorld();
  const server = await prisma.server.findUniqueOrThrow({ where: { id: world.serverId } });
  domain = server.domain;
  // Seats enough for the accounts made here.
  await prisma.plan.update({ where: { id: world.planId }, data: { seats: 1000 } });
  await addAccounts(120, "bulkmatch");
  await addAccounts(30, "other");
});

describe("bulk suspend over a filter", () => {
  it("suspends exactly the matching accounts, tags their jobs, and reports progress", async () => {
    const { id } = await start(world.admin, {
      action: "accounts.suspend",
      scope: "filter",
      filter: "q=bulkmatch&match=prefix&sort=address&after=ignored",
      reason: "staff",
      note: "abuse report 42",
    });
    expect(await runBulk(id, live())).toEqual({ done: true });
    const progress = await getBulkProgress(id, world.admin);
    expect(progress).toMatchObject({ status: "DONE", total: 120, done: 120, failed: 0 });
    expect(progress!.jobs.waiting).toBe(120);
    expect(progress!.settled).toBe(false);
    const held = await prisma.xmppAccount.findMany({
      where: { localpart: { startsWith: "bulkmatch" } },
      select: { suspensionReasons: true },
    });
    expect(held.every((a) => parseReasons(a.suspensionReasons).includes("staff"))).toBe(true);
    const untouched = await prisma.xmppAccount.count({
      where: { localpart: { startsWith: "other" }, suspensionReasons: { contains: "staff" } },
    });
    expect(untouched).toBe(0);
    // Once the servers' jobs finish, the operation is settled.
    await prisma.job.updateMany({ where: { bulkOperationId: id }, data: { status: "SUCCEEDED" } });
    expect((await getBulkProgress(id, world.admin))!.settled).toBe(true);
  });

  it("runs each item once when several runners work on the same operation", async () => {
    const { id } = await start(world.admin, {
      action: "accounts.unsuspend",
      scope: "filter",
      filter: "q=bulkmatch&match=prefix",
      reason: "staff",
    });
    await Promise.all(Array.from({ length: 10 }, () => runBulk(id, live()).catch(() => null)));
    const op = await prisma.bulkOperation.findUniqueOrThrow({ where: { id } });
    expect(op.total).toBe(120);
    expect(op.done + op.failed + op.skipped).toBe(120);
    expect(op.done).toBe(120);
    expect(await prisma.job.count({ where: { bulkOperationId: id } })).toBe(120);
  });
});

describe("selection, permission and confirmation", () => {
  it("refuses portal users, and support where its role does not reach", async () => {
    await expect(
      start(world.customerUser, { action: "accounts.suspend", ids: [world.accountId] }),
    ).rejects.toThrow(/staff/);
    await expect(
      start(world.support, {
        action: "accounts.delete",
        ids: [world.accountId],
        confirm: "delete",
      }),
    ).rejects.toMatchObject({ code: "forbidden" });
    const ok = await start(world.support, { action: "accounts.suspend", ids: [world.accountId] });
    expect(ok.id).toBeTruthy();
  });

  it("needs the typed word for deletion, and at least one row", async () => {
    await expect(
      start(world.admin, { action: "accounts.delete", ids: [world.accountId], confirm: "yes" }),
    ).rejects.toThrow(/Type “delete”/);
    await expect(start(world.admin, { action: "accounts.suspend", ids: ["nope"] })).rejects.toThrow(
      /Select at least one row/,
    );
    await expect(
      start(world.admin, { action: "customers.change-plan", ids: [world.customerId] }),
    ).rejects.toMatchObject({ fieldErrors: { planId: expect.any(Array) } });
  });

  it("does not let a viewer read an operation their role could not start", async () => {
    const { id } = await start(world.admin, {
      action: "customers.change-plan",
      ids: [world.otherCustomerId],
      planId: world.planId,
    });
    expect(await getBulkProgress(id, world.support)).toBeNull();
    expect(await getBulkProgress(id, world.admin)).not.toBeNull();
  });
});

describe("failures, cancel and retry", () => {
  it("reports per-item failures and retries only those", async () => {
    const archived = await prisma.plan.create({
      data: { name: "Archived", seats: 1, rooms: 0, retentionDays: 1, archivedAt: new Date() },
    });
    const { id } = await start(world.admin, {
      action: "customers.change-plan",
      ids: [world.customerId, world.otherCustomerId],
      planId: archived.id,
    });
    await runBulk(id, live());
    const problems = await listBulkProblems(id);
    expect(problems).toHaveLength(2);
    expect(problems[0].error).toMatch(/archived/);
    await prisma.plan.update({ where: { id: archived.id }, data: { archivedAt: null } });
    const retry = await retryBulk(id, world.admin);
    await runBulk(retry.id, live());
    const again = await prisma.bulkOperation.findUniqueOrThrow({ where: { id: retry.id } });
    expect(again).toMatchObject({ total: 2, done: 2, failed: 0, retryOfId: id });
    await expect(retryBulk(retry.id, world.admin)).rejects.toThrow(/Nothing failed/);
  });

  it("cancels what has not started and keeps what is done", async () => {
    const { id } = await start(world.admin, {
      action: "accounts.suspend",
      scope: "filter",
      filter: "q=other&match=prefix",
    });
    await cancelBulk(id, world.admin);
    await runBulk(id, live());
    const op = await prisma.bulkOperation.findUniqueOrThrow({ where: { id } });
    expect(op).toMatchObject({ status: "CANCELLED", done: 0 });
    expect(op.cancelled).toBe(await prisma.bulkItem.count({ where: { operationId: id } }));
    expect(await prisma.job.count({ where: { bulkOperationId: id } })).toBe(0);
    await expect(cancelBulk(id, world.admin)).rejects.toThrow(/already ended/);
  });

  it("does not send an invite twice after an interrupted run", async () => {
    const admin = await createUser("ADMIN");
    const { id } = await start(admin, {
      action: "customers.send-invites",
      ids: [world.customerId, world.otherCustomerId],
    });
    // A run died after claiming the first item.
    const first = await prisma.bulkItem.findFirstOrThrow({
      where: { operationId: id },
      orderBy: { position: "asc" },
    });
    await prisma.bulkItem.update({ where: { id: first.id }, data: { status: "RUNNING" } });
    await runBulk(id, live());
    const items = await prisma.bulkItem.findMany({
      where: { operationId: id },
      orderBy: { position: "asc" },
    });
    expect(items.map((i) => i.status)).toEqual(["FAILED", "DONE"]);
    expect(items[0].error).toMatch(/Interrupted/);
    expect(await prisma.invite.count({ where: { note: "Sent in bulk" } })).toBe(1);
  });

  it("resumes a filter's expansion where it stopped", async () => {
    const { id } = await start(world.admin, {
      action: "accounts.suspend",
      scope: "filter",
      filter: "q=bulkmatch&match=prefix",
    });
    // A run that died after writing the first 50 items.
    const first = await prisma.xmppAccount.findMany({
      where: { localpart: { startsWith: "bulkmatch" } },
      orderBy: { id: "asc" },
      take: 50,
      select: { id: true },
    });
    await prisma.bulkItem.createMany({
      data: first.map((a, i) => ({ operationId: id, position: i, subjectId: a.id })),
    });
    await prisma.bulkOperation.update({ where: { id }, data: { total: 50 } });
    await runBulk(id, live());
    const op = await prisma.bulkOperation.findUniqueOrThrow({ where: { id } });
    expect(op.total).toBe(120);
    expect(await prisma.bulkItem.count({ where: { operationId: id } })).toBe(120);
  });
});
