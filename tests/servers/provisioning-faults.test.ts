import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { prisma } from "@/core/db";
import { createAccount } from "@/lib/accounts/create-account";
import { startEjabberd, readEjabberdLog, type EjabberdInstance } from "../harness/ejabberd";
import { tryLogin } from "../helpers/xmpp-client";
import { createUser } from "../helpers/fixtures";
import {
  customerWithSeats,
  registerEjabberd,
  startTestWorker,
} from "../helpers/provisioning-world";
import { enqueue } from "@/lib/jobs/job-types";
import type { DriftReport } from "@/lib/servers/reconcile-job";

// A server outage in the middle of bulk work loses nothing and duplicates nothing.
describe("provisioning through the queue survives a server crash", () => {
  let ej: EjabberdInstance;
  let token: string;

  beforeAll(async () => {
    ej = await startEjabberd();
    token = await ej.mintToken();
  });
  afterAll(async () => {
    await ej?.stop();
  });

  it("500 account creations, ejabberd killed mid-way and restarted: all exist exactly once, no job lost", async () => {
    const server = await registerEjabberd(ej, token);
    const customer = await customerWithSeats(600);
    const admin = await createUser("ADMIN");
    const passwords = new Map<string, string>();
    let lostByServer: string[] = [];
    for (let i = 0; i < 500; i++) {
      const localpart = `bulk${String(i).padStart(3, "0")}`;
      const password = `pw-${localpart}-${Math.random().toString(36).slice(2)}`;
      passwords.set(localpart, password);
      await createAccount(
        { customerId: customer.id, localpart, serverId: server.id, password },
        admin,
      );
    }
    const run = startTestWorker();
    try {
      await expect
        .poll(() => prisma.job.count({ where: { type: "account.create", status: "SUCCEEDED" } }), {
          timeout: 60_000,
          interval: 50,
        })
        .toBeGreaterThan(120);
      await ej.kill(); // SIGKILL: requests in flight are lost mid-way
      const doneAtCrash = await prisma.job.count({
        where: { type: "account.create", status: "SUCCEEDED" },
      });
      expect(doneAtCrash).toBeLessThan(500);
      await expect
        .poll(() => run.events.filter((e) => e.kind === "retrying").length, { timeout: 30_000 })
        .toBeGreaterThan(0);
      await ej.restart();
      await expect
        .poll(() => prisma.job.count({ where: { type: "account.create", status: "SUCCEEDED" } }), {
          timeout: 240_000,
          interval: 500,
        })
        .toBe(500);

      // ejabberd acknowledges a register before mnesia has it on disk, so a SIGKILL can lose
      // the last few accounts it confirmed. Reconciliation finds and recreates them.
      const { id: reconcileId } = await enqueue(
        prisma,
        "server.reconcile",
        { serverId: server.id, mode: "repair" },
        { serverId: server.id },
      );
      run.worker.nudge();
      await expect
        .poll(
          async () => (await prisma.job.findUniqueOrThrow({ where: { id: reconcileId } })).status,
          { timeout: 60_000 },
        )
        .toBe("SUCCEEDED");
      const report = (await prisma.job.findUniqueOrThrow({ where: { id: reconcileId } }))
        .result as unknown as DriftReport;
      lostByServer = report.missingAccounts;
      expect(report.aborted).toBeNull();
      expect(lostByServer.length).toBeLessThanOrEqual(8); // at most the requests in flight
      expect(report.repairsQueued).toBe(lostByServer.length);
      await expect
        .poll(
          () =>
            prisma.job.count({ where: { type: "account.recreate", status: { not: "SUCCEEDED" } } }),
          { timeout: 60_000 },
        )
        .toBe(0);
    } finally {
      await run.stop();
    }

    expect(await prisma.job.count({ where: { type: "account.create" } })).toBe(500);
    expect(
      await prisma.job.count({ where: { type: "account.create", status: { not: "SUCCEEDED" } } }),
    ).toBe(0);
    expect(
      await prisma.job.count({ where: { type: "account.create", secretEnc: { not: null } } }),
    ).toBe(0);
    expect(
      await prisma.xmppAccount.count({ where: { customerId: customer.id, status: "ACTIVE" } }),
    ).toBe(500);

    const registered = (await (
      await fetch(`${ej.apiUrl}/registered_users`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}` },
        body: JSON.stringify({ host: ej.vhost }),
      })
    ).json()) as string[];
    const bulk = registered.filter((u) => u.startsWith("bulk"));
    expect(bulk).toHaveLength(500);
    expect(new Set(bulk).size).toBe(500);

    // Accounts whose register was in flight during the crash still carry their own password.
    const sample = ["bulk000", "bulk250", "bulk499", ...bulk.filter((_, i) => i % 97 === 0)].filter(
      (l) => !lostByServer.includes(l),
    );
    for (const localpart of new Set(sample)) {
      expect(
        await tryLogin({
          host: "127.0.0.1",
          port: ej.c2sPort,
          domain: ej.vhost,
          username: localpart,
          password: passwords.get(localpart)!,
        }),
        localpart,
      ).toEqual({ ok: true });
    }

    // The passwords were never written anywhere in clear: not the database, not the server log.
    const dbFile = process.env.DATABASE_URL!.replace(/^file:/, "");
    const haystacks = [readFileSync(dbFile).toString("latin1"), readEjabberdLog(ej)];
    for (const password of [...passwords.values()].slice(0, 50)) {
      for (const haystack of haystacks) expect(haystack.includes(password)).toBe(false);
    }
    expect(haystacks.some((h) => h.includes(token))).toBe(false);
  }, 400_000);
});
