import { describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { prisma, sqlOf } from "@/core/db";
import { ACCOUNT_STATUS } from "@/lib/accounts/job-account";
import { claimJobs } from "@/provisioning/queue/claim";
import { enqueueJob } from "@/provisioning/queue/enqueue";
import { finishAttempts } from "@/provisioning/queue/fenced";
import { billedCustomer } from "../helpers/billed-customer";

describe(`an account job's status write (${process.env.PARLEY_TEST_DB})`, () => {
  it("sets the status, except on an account deleted since the job read it", async () => {
    const { accountIds } = await billedCustomer(2);
    const [created, deleted] = accountIds;
    await prisma.xmppAccount.update({ where: { id: created }, data: { status: "PENDING" } });
    await prisma.xmppAccount.update({ where: { id: deleted }, data: { status: "DELETING" } });
    const type = `status-${randomBytes(4).toString("hex")}`;
    for (const accountId of accountIds) await enqueueJob(prisma, { type, payload: { accountId } });
    const jobs = await claimJobs(prisma, "w", new Date(), 60_000, [type], 2);
    expect(jobs).toHaveLength(2);

    const at = new Date();
    const finished = await finishAttempts(
      sqlOf(prisma),
      jobs.map((j) => ({ id: j.id, attempt: j.attempt, status: "SUCCEEDED" as const, at })),
      jobs.map((j) => ({
        write: ACCOUNT_STATUS,
        jobId: j.id,
        attempt: j.attempt,
        row: {
          id: (j.payload as { accountId: string }).accountId,
          status: "ACTIVE",
          updatedAt: at,
        },
      })),
    );
    expect(finished.size).toBe(2);
    const status = async (id: string) =>
      (await prisma.xmppAccount.findUniqueOrThrow({ where: { id } })).status;
    expect(await status(created)).toBe("ACTIVE");
    expect(await status(deleted)).toBe("DELETING");
  });
});
