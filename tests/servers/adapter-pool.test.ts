import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/core/db";
import { seal } from "@/core/secrets";
import { createAccount } from "@/lib/accounts/create-account";
import { allJobs } from "@/lib/jobs/handlers";
import { onJobError } from "@/lib/jobs/worker";
import { AdapterPool } from "@/provisioning/servers/adapter-pool";
import { Worker, type WorkerEvent } from "@/provisioning/queue/worker";
import { startEjabberd, type EjabberdInstance } from "../harness/ejabberd";
import { createUser } from "../helpers/fixtures";
import { customerWithSeats, registerEjabberd, testKey } from "../helpers/provisioning-world";

// The pool of server adapters in a worker, when the server's row is changed by another process
// (a console): the pool reads only the database, so a write here is what that process does.
describe("the adapter pool with the server row changed elsewhere", () => {
  let ej: EjabberdInstance;
  beforeAll(async () => {
    ej = await startEjabberd();
  });
  afterAll(async () => {
    await ej?.stop();
  });

  const revoke = (token: string) =>
    fetch(`${ej.apiUrl}/oauth_revoke_token`, {
      method: "POST",
      headers: {
        authorization: `Basic ${Buffer.from(`${ej.adminJid}:${ej.adminPassword}`).toString("base64")}`,
      },
      body: JSON.stringify({ token }),
    }).then((r) => expect(r.status).toBe(200));

  it("keeps its adapter through status writes, replaces it on a new token, and lets holders finish", async () => {
    const server = await registerEjabberd(ej, await ej.mintToken());
    const pool = new AdapterPool(prisma, testKey(), 60_000, 300);
    try {
      const first = await pool.adapterFor(server.id);
      await prisma.server.update({
        where: { id: server.id },
        data: { status: "ok", lastCheckedAt: new Date(), complianceStatus: "compliant" },
      });
      pool.recheck(server.id);
      expect(await pool.adapterFor(server.id)).toBe(first);

      await prisma.server.update({
        where: { id: server.id },
        data: { apiTokenEnc: seal(await ej.mintToken(), testKey()) },
      });
      pool.recheck(server.id);
      const asked = await Promise.all(Array.from({ length: 8 }, () => pool.adapterFor(server.id)));
      expect(new Set(asked).size).toBe(1);
      expect(asked[0]).not.toBe(first);
      // A job still holding the old adapter finishes with it; it is closed a while later.
      await expect(first.listAccounts()).resolves.toContain("admin");
      await new Promise((r) => setTimeout(r, 500));
      await expect(first.listAccounts()).rejects.toThrow("closed");
      await expect(asked[0].listAccounts()).resolves.toContain("admin");
    } finally {
      await pool.close();
    }
  });

  it("a job that failed on a token revoked elsewhere succeeds at its next attempt", async () => {
    const oldToken = await ej.mintToken();
    const server = await registerEjabberd(ej, oldToken);
    const customer = await customerWithSeats(10);
    const admin = await createUser("ADMIN");
    // A re-read only every minute: the retry must not wait for it.
    const pool = new AdapterPool(prisma, testKey(), 60_000);
    const events: WorkerEvent[] = [];
    const worker = new Worker({
      db: prisma,
      jobs: allJobs(pool),
      pollMs: 50,
      backoff: () => 200,
      onEvent: (e) => events.push(e),
      onError: onJobError(pool),
    });
    worker.start();
    try {
      const create = (localpart: string) =>
        createAccount(
          {
            customerId: customer.id,
            localpart,
            serverId: server.id,
            password: `pw-${localpart}-123`,
          },
          admin,
        );
      await create("before");
      await expect
        .poll(() => events.filter((e) => e.kind === "succeeded").length, { timeout: 20_000 })
        .toBe(1);

      // Staff put a new token into Parley (another process) and revoke the old one on ejabberd.
      await prisma.server.update({
        where: { id: server.id },
        data: { apiTokenEnc: seal(await ej.mintToken(), testKey()) },
      });
      await revoke(oldToken);
      const { accountId } = await create("after");
      await expect
        .poll(
          async () =>
            (await prisma.xmppAccount.findUniqueOrThrow({ where: { id: accountId } })).status,
          {
            timeout: 20_000,
          },
        )
        .toBe("ACTIVE");
      const job = await prisma.job.findFirstOrThrow({ where: { subjectId: accountId } });
      expect([job.status, job.attempts]).toEqual(["SUCCEEDED", 2]);
      expect(events.filter((e) => e.kind === "retrying")).toHaveLength(1);
    } finally {
      await worker.stop();
      await pool.close();
    }
  });
});
