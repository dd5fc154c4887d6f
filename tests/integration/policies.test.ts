import { beforeEach, describe, expect, it } from "vitest";
import { addDays } from "date-fns";
import { randomBytes } from "node:crypto";
import { prisma } from "@/core/db";
import { resetClock } from "@/core/clock";
import { createAccount } from "@/lib/accounts/create-account";
import { createInvite } from "@/lib/invites/create-invite";
import { Worker } from "@/provisioning/queue/worker";
import { enqueue, jobDefinitions } from "@/lib/jobs/job-types";
import { housekeepingJobs } from "@/lib/housekeeping/jobs";
import { createWorld, type World } from "../helpers/fixtures";

let w: World;
beforeEach(async () => {
  w = await createWorld();
  resetClock();
});

describe("placing customers by policy", () => {
  it("puts accounts only on servers whose retention matches the plan, and says why not", async () => {
    // The world's plan keeps 30 days.
    const week = await prisma.privacyPolicy.create({
      data: { name: `Week ${Date.now()}`, mamRetentionDays: 7, mucRetentionDays: 7 },
    });
    await prisma.server.update({ where: { id: w.serverId }, data: { policyId: week.id } });
    await expect(
      createAccount({ customerId: w.customerId, localpart: "kate", serverId: w.serverId }, w.admin),
    ).rejects.toThrow(/keeps messages 7 days .* but the plan promises 30/);
    await expect(
      createInvite(
        { customerId: w.customerId, kind: "ACCOUNT", maxUses: 1, expiry: "7d", note: "" },
        w.admin,
      ),
    ).rejects.toThrow(/No server keeps messages as the plan promises/);

    const month = await prisma.privacyPolicy.create({
      data: { name: `Month ${Date.now()}`, mamRetentionDays: 30, mucRetentionDays: 30 },
    });
    const other = await prisma.server.create({
      data: {
        name: `Monthly ${Date.now()}`,
        kind: "EJABBERD",
        domain: `m${Date.now()}.test`,
        policyId: month.id,
      },
    });
    const { address } = await createAccount(
      { customerId: w.customerId, localpart: "kate" },
      w.admin,
    );
    expect(address.endsWith(other.domain)).toBe(true);
  });
});

describe("Parley's own records", () => {
  it("are deleted after the configured time by the daily housekeeping job", async () => {
    const old = addDays(new Date(), -400);
    await prisma.auditEvent.create({
      data: { at: old, actorLabel: "x", action: "old.event", targetType: "t" },
    });
    await prisma.auditEvent.create({
      data: { actorLabel: "x", action: "new.event", targetType: "t" },
    });
    await prisma.notification.create({
      data: { userId: w.admin.id, title: "old", body: "b", readAt: old, createdAt: old },
    });
    await prisma.notification.create({
      data: { userId: w.admin.id, title: "old unread", body: "b", createdAt: old },
    });
    await prisma.outboxEmail.create({
      data: { to: "a@b.test", subject: "old", text: "t", transport: "outbox", createdAt: old },
    });
    const done = await prisma.job.create({
      data: { type: "account.kick", payload: {}, status: "SUCCEEDED", finishedAt: old },
    });
    for (const startedAt of [old, new Date()])
      await prisma.liveEvaluation.create({
        data: { serverId: w.serverId, startedAt, status: "ok", features: {}, security: {} },
      });

    const worker = new Worker({
      db: prisma,
      jobs: jobDefinitions(housekeepingJobs as never),
      encryptionKey: randomBytes(32),
    });
    const { id } = await enqueue(prisma, "parley.housekeeping", {});
    expect(await worker.runOnce()).toBe(true);
    expect((await prisma.job.findUniqueOrThrow({ where: { id } })).result).toMatchObject({
      auditEvents: 1,
      notifications: 1,
      emails: 1,
      liveEvaluations: 1,
    });
    expect(await prisma.liveEvaluation.count({ where: { serverId: w.serverId } })).toBe(1);
    expect(await prisma.auditEvent.count({ where: { action: "old.event" } })).toBe(0);
    expect(await prisma.auditEvent.count({ where: { action: "new.event" } })).toBe(1);
    expect(await prisma.notification.count({ where: { title: "old unread" } })).toBe(1); // unread notices stay
    expect(await prisma.job.findUnique({ where: { id: done.id } })).toBeNull();
  });
});
