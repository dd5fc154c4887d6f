import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync, existsSync } from "node:fs";
import { prisma } from "@/core/db";
import { seal } from "@/core/secrets";
import { createAdapter } from "@/provisioning/servers/registry";
import type { XmppAdapter } from "@/provisioning/servers/adapter";
import type { DriftReport } from "@/lib/servers/reconcile-job";
import {
  createAccountAction,
  suspendAccountAction,
  unsuspendAccountAction,
} from "@/app/(console)/console/accounts/actions";
import { createRoomAction, destroyRoomAction } from "@/app/(console)/console/rooms/actions";
import {
  approveHostKeyAction,
  reconcileServerAction,
  testConnectionAction,
} from "@/app/(console)/console/servers/actions";
import { startEjabberd, readEjabberdLog, type EjabberdInstance } from "../harness/ejabberd";
import { startProsody, type ProsodyInstance } from "../harness/prosody";
import { startSshd, type SshdInstance } from "../harness/sshd";
import { tryLogin } from "../helpers/xmpp-client";
import { actAs } from "../helpers/session-shim";
import { createUser, form, type Actor } from "../helpers/fixtures";
import { customerWithSeats, startTestWorker, testKey } from "../helpers/provisioning-world";

// What staff do in the console reaches real servers: ejabberd over its API, Prosody over SSH.
let ej: EjabberdInstance;
let prosody: ProsodyInstance;
let sshd: SshdInstance;
let admin: Actor;
let customerId: string;
let worker: ReturnType<typeof startTestWorker>;
let ejToken: string;
const servers: Record<
  "ejabberd" | "prosody",
  { id: string; c2sPort: number; domain: string; adapter: XmppAdapter }
> = {} as never;

async function expectOk(result: Promise<unknown>) {
  let value: unknown;
  try {
    value = await result;
  } catch (error) {
    // redirect() after success
    if (String((error as { digest?: string }).digest ?? "").startsWith("NEXT_REDIRECT")) return;
    throw error;
  }
  expect(value, JSON.stringify(value)).toMatchObject({ ok: true });
}

async function settled() {
  worker.worker.nudge();
  await expect
    .poll(() => prisma.job.count({ where: { status: { in: ["PENDING", "RUNNING"] } } }), {
      timeout: 60_000,
      interval: 100,
    })
    .toBe(0);
}

beforeAll(async () => {
  [ej, prosody, sshd] = await Promise.all([startEjabberd(), startProsody(), startSshd()]);
  admin = await createUser("ADMIN");
  actAs(admin);
  customerId = (await customerWithSeats(50, 10)).id;
  const key = testKey();
  const ejRow = await prisma.server.create({
    data: {
      name: "ej",
      kind: "EJABBERD",
      domain: ej.vhost,
      mucDomain: ej.mucDomain,
      apiUrl: ej.apiUrl,
      apiTokenEnc: seal((ejToken = await ej.mintToken()), key),
    },
  });
  await prisma.server.create({
    data: {
      name: "prosody-over-ssh",
      kind: "PROSODY",
      domain: prosody.vhost,
      mucDomain: prosody.mucDomain,
      transport: "SSH",
      prosodyConfigPath: prosody.configPath,
      prosodyctlCommand: prosody.prosodyctl,
      sshHost: sshd.host,
      sshPort: sshd.port,
      sshUser: sshd.username,
      sshKeyEnc: seal(sshd.clientPrivateKey, key),
    },
  });
  servers.ejabberd = {
    id: ejRow.id,
    c2sPort: ej.c2sPort,
    domain: ej.vhost,
    adapter: createAdapter(ejRow, key),
  };
  worker = startTestWorker();
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await servers.ejabberd?.adapter.close();
  await servers.prosody?.adapter.close();
  await Promise.all([ej?.stop(), prosody?.stop(), sshd?.stop()]);
});

describe("SSH host keys", () => {
  it("are shown for approval on first contact, then pinned; a changed key is refused and flagged", async () => {
    const row = await prisma.server.findUniqueOrThrow({ where: { name: "prosody-over-ssh" } });
    const first = await testConnectionAction(undefined, form({ id: row.id }));
    expect(first).toMatchObject({ ok: false });
    const pending = await prisma.server.findUniqueOrThrow({ where: { id: row.id } });
    expect(pending.sshHostKeyPending).toBe(sshd.hostKeySha256);
    expect(pending.sshHostKeySha256).toBeNull();

    await expectOk(
      approveHostKeyAction(undefined, form({ id: row.id, fingerprint: sshd.hostKeySha256 })),
    );
    await expectOk(testConnectionAction(undefined, form({ id: row.id })));
    const approved = await prisma.server.findUniqueOrThrow({ where: { id: row.id } });
    expect([approved.sshHostKeySha256, approved.status]).toEqual([sshd.hostKeySha256, "ok"]);

    // Someone swaps the server's key: Parley refuses, keeps the old pin and raises the alarm.
    const forged = `SHA256:${"B".repeat(43)}`;
    await prisma.server.update({ where: { id: row.id }, data: { sshHostKeySha256: forged } });
    expect(await testConnectionAction(undefined, form({ id: row.id }))).toMatchObject({
      ok: false,
    });
    const changed = await prisma.server.findUniqueOrThrow({ where: { id: row.id } });
    expect(changed.sshHostKeyChangedAt).not.toBeNull();
    expect(changed.sshHostKeyPending).toBe(sshd.hostKeySha256);
    expect(
      await prisma.auditEvent.count({
        where: { action: "server.host_key_changed", targetId: row.id },
      }),
    ).toBe(1);
    await expectOk(
      approveHostKeyAction(undefined, form({ id: row.id, fingerprint: sshd.hostKeySha256 })),
    );

    const final = await prisma.server.findUniqueOrThrow({ where: { id: row.id } });
    servers.prosody = {
      id: row.id,
      c2sPort: prosody.c2sPort,
      domain: prosody.vhost,
      adapter: createAdapter(final, testKey()),
    };
  }, 60_000);
});

for (const kind of ["ejabberd", "prosody"] as const) {
  describe(`${kind}: accounts and rooms from the console`, () => {
    const password = `Original pass ${kind} 123`;
    const localpart = `carol-${kind}`;

    it("creates an account that logs in; suspension stops it; unsuspension restores the original password", async () => {
      const server = servers[kind];
      await expectOk(
        createAccountAction(
          undefined,
          form({ customerId, serverId: server.id, localpart: localpart.toUpperCase(), password }),
        ),
      );
      await settled();
      const account = await prisma.xmppAccount.findFirstOrThrow({ where: { localpart } });
      expect(account.status).toBe("ACTIVE");
      const login = {
        host: "127.0.0.1",
        port: server.c2sPort,
        domain: server.domain,
        username: localpart,
        password,
      };
      expect(await tryLogin(login)).toEqual({ ok: true });

      await expectOk(
        suspendAccountAction(
          undefined,
          form({ accountId: account.id, reason: "customer", note: "blocked by the customer" }),
        ),
      );
      await expectOk(
        suspendAccountAction(
          undefined,
          form({ accountId: account.id, reason: "staff", note: "abuse report" }),
        ),
      );
      await settled();
      expect((await tryLogin(login)).ok).toBe(false);

      // Removing one reason is not enough: the customer's own block remains.
      await expectOk(
        unsuspendAccountAction(
          undefined,
          form({ accountId: account.id, reason: "staff", note: "resolved" }),
        ),
      );
      await settled();
      expect((await tryLogin(login)).ok).toBe(false);
      expect(await server.adapter.isSuspended(localpart)).toBe(true);

      await expectOk(
        unsuspendAccountAction(
          undefined,
          form({ accountId: account.id, reason: "customer", note: "customer allowed it again" }),
        ),
      );
      await settled();
      expect(await tryLogin(login)).toEqual({ ok: true });
      expect(
        (await prisma.xmppAccount.findUniqueOrThrow({ where: { id: account.id } })).status,
      ).toBe("ACTIVE");
    }, 90_000);

    it("creates a room with the requested configuration and affiliations, read back from the server", async () => {
      const server = servers[kind];
      const members = `${localpart}@${server.domain} owner\ndave@${server.domain} admin\nerin@${server.domain}\nmallory@${server.domain} outcast`;
      await expectOk(
        createRoomAction(
          undefined,
          form({
            customerId,
            serverId: server.id,
            name: `Team-${kind}`,
            title: "Team room",
            description: "Plans",
            maxUsers: 50,
            membersOnly: "on",
            archiving: "on",
            members,
          }),
        ),
      );
      await settled();
      const state = await server.adapter.readRoom(`team-${kind}`);
      expect(state?.config).toMatchObject({
        title: "Team room",
        description: "Plans",
        persistent: true,
        membersOnly: true,
        public: false,
        archiving: true,
        maxUsers: 50,
      });
      expect(state?.affiliations).toMatchObject({
        [`${localpart}@${server.domain}`]: "owner",
        [`dave@${server.domain}`]: "admin",
        [`erin@${server.domain}`]: "member",
        [`mallory@${server.domain}`]: "outcast",
      });
    }, 60_000);

    it("a destroyed room's address stays with its customer: another customer cannot take it (11.12)", async () => {
      const server = servers[kind];
      const room = await prisma.room.findFirstOrThrow({ where: { name: `team-${kind}` } });
      await expectOk(destroyRoomAction(undefined, form({ roomId: room.id })));
      await settled();
      expect(await server.adapter.readRoom(`team-${kind}`)).toBeNull();
      expect((await prisma.room.findUniqueOrThrow({ where: { id: room.id } })).status).toBe(
        "DELETED",
      );
      expect(
        await prisma.roomTombstone.findFirst({ where: { name: `team-${kind}` } }),
      ).toMatchObject({ customerId });
      const other = await customerWithSeats(5, 5);
      const state = await createRoomAction(
        undefined,
        form({ customerId: other.id, serverId: server.id, name: `team-${kind}`, maxUsers: 50 }),
      );
      expect(state).toMatchObject({ ok: false, message: expect.stringMatching(/belonged to/) });
    }, 60_000);

    it("an account added while the customer's billing hold is on starts suspended on the server (11.1)", async () => {
      const server = servers[kind];
      await prisma.customer.update({ where: { id: customerId }, data: { status: "SUSPENDED" } });
      try {
        await expectOk(
          createAccountAction(
            undefined,
            form({ customerId, serverId: server.id, localpart: `held-${kind}`, password }),
          ),
        );
        await settled();
      } finally {
        await prisma.customer.update({ where: { id: customerId }, data: { status: "ACTIVE" } });
      }
      const account = await prisma.xmppAccount.findFirstOrThrow({
        where: { localpart: `held-${kind}` },
      });
      expect(account.status).toBe("SUSPENDED");
      expect(await server.adapter.isSuspended(`held-${kind}`)).toBe(true);
      const login = {
        host: "127.0.0.1",
        port: server.c2sPort,
        domain: server.domain,
        username: `held-${kind}`,
        password,
      };
      expect((await tryLogin(login)).ok).toBe(false);
    }, 60_000);

    it("reconciliation repairs an account deleted behind Parley's back and only flags an extra one", async () => {
      const server = servers[kind];
      await server.adapter.deleteAccount(localpart);
      await server.adapter.createAccount(`stranger-${kind}`, "made outside Parley 1");
      await expectOk(reconcileServerAction(undefined, form({ id: server.id, mode: "dry-run" })));
      await settled();
      const dry = (
        await prisma.job.findFirstOrThrow({
          where: { type: "server.reconcile", serverId: server.id, status: "SUCCEEDED" },
          orderBy: { finishedAt: "desc" },
        })
      ).result as unknown as DriftReport;
      expect(dry.missingAccounts).toEqual([localpart]);
      expect(dry.unknownAccounts).toContain(`stranger-${kind}`);
      expect(await server.adapter.accountExists(localpart)).toBe(false); // dry run touches nothing

      await expectOk(reconcileServerAction(undefined, form({ id: server.id, mode: "repair" })));
      await settled();
      expect(await server.adapter.accountExists(localpart)).toBe(true);
      expect(await server.adapter.accountExists(`stranger-${kind}`)).toBe(true);
      expect(
        await prisma.auditEvent.count({ where: { action: "account.recreated" } }),
      ).toBeGreaterThan(0);
    }, 90_000);
  });
}

describe("secrets at rest", () => {
  it("no XMPP password, API token or SSH private key is stored or logged in clear (with a planted control)", async () => {
    const dbFile = process.env.DATABASE_URL!.replace(/^file:/, "");
    const read = () =>
      [dbFile, `${dbFile}-wal`, ej.logFile, prosody.logFile]
        .filter((f) => existsSync(f))
        .map((f) => readFileSync(f).toString("latin1"))
        .join("\n") + readEjabberdLog(ej);
    const keyLine = sshd.clientPrivateKey
      .split("\n")
      .find((l) => l.length > 40 && !l.startsWith("-----"))!;
    const secrets = ["Original pass ejabberd 123", "Original pass prosody 123", ejToken, keyLine];
    const haystack = read();
    for (const secret of secrets)
      expect(haystack.includes(secret), `found ${secret.slice(0, 12)}…`).toBe(false);

    // The same scan finds a secret that was written in clear.
    await prisma.customer.update({ where: { id: customerId }, data: { notes: secrets[0] } });
    expect(read().includes(secrets[0])).toBe(true);
    await prisma.customer.update({ where: { id: customerId }, data: { notes: "" } });
  });
});
