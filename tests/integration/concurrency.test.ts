import { beforeEach, describe, expect, it } from "vitest";
import { prisma } from "@/core/db";
import { createAccount } from "@/lib/accounts/create-account";
import { createResetLink, resetChatPasswordWithLink } from "@/lib/chat-password-reset/reset-links";
import { createInvite } from "@/lib/invites/create-invite";
import { redeemInvite } from "@/lib/invites/redeem-invite";
import { createWorld, type World } from "../helpers/fixtures";

// Real parallelism on the real database of the project (SQLite file or PostgreSQL cluster):
// the single-use and seat rules must hold when many requests arrive at the same moment.
let w: World;
beforeEach(async () => {
  w = await createWorld();
});

const rejections = (results: PromiseSettledResult<unknown>[]) =>
  results
    .filter((r): r is PromiseRejectedResult => r.status === "rejected")
    .map((r) => String((r.reason as Error).message));

describe(`concurrency (${process.env.PARLEY_TEST_DB})`, () => {
  it("30 parallel resets with one link: exactly one sets the password", async () => {
    const { link } = await createResetLink(w.accountId, 24, "forgot the password", w.support);
    const token = link.split("/").pop()!;
    const results = await Promise.allSettled(
      Array.from({ length: 30 }, (_, i) =>
        resetChatPasswordWithLink(token, `a new password number ${i}`),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const failures = rejections(results);
    expect(failures).toHaveLength(29);
    expect(
      failures.every((m) => m.includes("already used")),
      failures.join("\n"),
    ).toBe(true);
    const jobs = await prisma.job.count({
      where: { type: "account.password", subjectId: w.accountId },
    });
    expect(jobs).toBe(1);
    const audits = await prisma.auditEvent.count({
      where: { action: "account.password_reset_by_link", targetId: w.accountId },
    });
    expect(audits).toBe(1);
  }, 120_000);

  it("20 parallel account creations for a 5-seat plan: exactly 5 accounts", async () => {
    const plan = await prisma.plan.create({
      data: { name: `Five seats ${Date.now()}`, seats: 5, rooms: 1, retentionDays: 30 },
    });
    const customer = await prisma.customer.create({
      data: { name: "Five seats", contactEmail: "five@parley.test", planId: plan.id },
    });
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        createAccount(
          { customerId: customer.id, localpart: `par${i}`, serverId: w.serverId },
          w.admin,
        ),
      ),
    );
    const accounts = await prisma.xmppAccount.count({ where: { customerId: customer.id } });
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(5);
    expect(accounts).toBe(5);
    const failures = rejections(results);
    expect(
      failures.every((m) => m.includes("All 5 seats")),
      failures.join("\n"),
    ).toBe(true);
    const jobs = await prisma.job.count({
      where: { type: "account.create", customerId: customer.id },
    });
    expect(jobs).toBe(5);
  }, 120_000);

  it("console creations and invite redemptions racing for the last seats: still exactly 5", async () => {
    const plan = await prisma.plan.create({
      data: { name: `Mixed seats ${Date.now()}`, seats: 5, rooms: 1, retentionDays: 30 },
    });
    const customer = await prisma.customer.create({
      data: { name: "Mixed", contactEmail: "mixed@parley.test", planId: plan.id },
    });
    const { token } = await createInvite(
      { customerId: customer.id, kind: "ACCOUNT", maxUses: 20, expiry: "7d", note: "" },
      w.admin,
    );
    const password = "correct horse battery staple";
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        i % 2
          ? createAccount(
              { customerId: customer.id, localpart: `mix${i}`, serverId: w.serverId },
              w.admin,
            )
          : redeemInvite(token, { localpart: `mix${i}`, password }, { throttle: false }),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(5);
    expect(await prisma.xmppAccount.count({ where: { customerId: customer.id } })).toBe(5);
    const failures = rejections(results);
    const seatMessages = failures.filter((m) => /All 5 seats|no free place left \(5 of 5/.test(m));
    expect(seatMessages, failures.join("\n")).toHaveLength(15);
  }, 120_000);

  it("10 customers racing for one username: one gets it, the others are told it is taken", async () => {
    const customers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        prisma.customer.create({
          data: { name: `Racer ${i}`, contactEmail: `r${i}@parley.test`, planId: w.planId },
        }),
      ),
    );
    const results = await Promise.allSettled(
      customers.map((c) =>
        createAccount({ customerId: c.id, localpart: "samename", serverId: w.serverId }, w.admin),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const failures = rejections(results);
    expect(
      failures.every((m) => / is taken\.$/.test(m)),
      failures.join("\n"),
    ).toBe(true);
    expect(await prisma.xmppAccount.count({ where: { localpart: "samename" } })).toBe(1);
  }, 120_000);
});
