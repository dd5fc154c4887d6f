import { afterAll, beforeAll, describe, expect, it } from "vitest";
import path from "node:path";
import { prisma } from "@/core/db";
import { createAccount } from "@/lib/accounts/create-account";
import { startEjabberd, type EjabberdInstance } from "../harness/ejabberd";
import { startProcess, type Started } from "../harness/processes";
import { createUser } from "../helpers/fixtures";
import { customerWithSeats, registerEjabberd } from "../helpers/provisioning-world";

const ROOT = path.resolve(__dirname, "../..");

function startWorkerProcess(): Started {
  // Exactly what `npm run worker` runs.
  return startProcess(
    process.execPath,
    [path.join(ROOT, "scripts/run-ts.mjs"), "lib/jobs/worker-main.ts"],
    {
      name: "worker",
      cwd: ROOT,
      env: { ...process.env, PARLEY_WORKER_CONCURRENCY: "1", PARLEY_WORKER_LEASE_MS: "3000" },
    },
  );
}

// `npm run worker` killed with SIGKILL in the middle of its work: a new one finishes it.
describe("the worker process", () => {
  let ej: EjabberdInstance;
  const workers: Started[] = [];
  beforeAll(async () => {
    ej = await startEjabberd();
  });
  afterAll(async () => {
    for (const w of workers) await w.stop("SIGKILL");
    await ej?.stop();
  });

  it("loses no job when killed mid-job and restarted", async () => {
    const server = await registerEjabberd(ej, await ej.mintToken());
    const customer = await customerWithSeats(100);
    const admin = await createUser("ADMIN");
    for (let i = 0; i < 40; i++)
      await createAccount(
        {
          customerId: customer.id,
          localpart: `proc${i}`,
          serverId: server.id,
          password: `password-proc-${i}`,
        },
        admin,
      );

    const first = startWorkerProcess();
    workers.push(first);
    // Kill it while it holds a job, after some work is done.
    await expect
      .poll(
        async () =>
          (await prisma.job.count({ where: { type: "account.create", status: "SUCCEEDED" } })) >=
            5 &&
          (await prisma.job.count({ where: { type: "account.create", status: "RUNNING" } })) === 1,
        { timeout: 60_000, interval: 5 },
      )
      .toBe(true);
    await first.stop("SIGKILL");
    // The job the killed worker held; its lease must run out before another takes it.
    const interrupted = await prisma.job.findMany({
      where: { type: "account.create", status: "RUNNING" },
      select: { id: true },
    });
    expect(interrupted.length).toBeGreaterThanOrEqual(1);
    const doneBefore = await prisma.job.count({
      where: { type: "account.create", status: "SUCCEEDED" },
    });
    expect(doneBefore).toBeLessThan(40);

    const second = startWorkerProcess();
    workers.push(second);
    await expect
      .poll(() => prisma.job.count({ where: { type: "account.create", status: "SUCCEEDED" } }), {
        timeout: 120_000,
        interval: 200,
      })
      .toBe(40);
    await second.stop("SIGTERM");
    expect(second.output()).toContain("worker stopping after the jobs in hand");

    for (const { id } of interrupted) {
      // Claimed by the killed worker (attempt 1), finished by the new one.
      const job = await prisma.job.findUniqueOrThrow({
        where: { id },
        include: { runs: { orderBy: { attempt: "asc" } } },
      });
      expect(job.attempts).toBeGreaterThanOrEqual(2);
      expect(job.runs.at(-1)?.outcome).toBe("succeeded");
    }
    expect(
      await prisma.xmppAccount.count({ where: { customerId: customer.id, status: "ACTIVE" } }),
    ).toBe(40);
  }, 240_000);
});
