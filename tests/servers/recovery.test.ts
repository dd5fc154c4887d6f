import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { addHours } from "date-fns";
import { prisma } from "@/core/db";
import { now, resetClock, setClock } from "@/core/clock";
import { createAccount } from "@/lib/accounts/create-account";
import {
  createResetLink,
  lookUpResetLink,
  resetChatPasswordWithLink,
} from "@/lib/chat-password-reset/reset-links";
import { setTemporaryPassword } from "@/lib/chat-password-reset/by-staff";
import { startEjabberd, type EjabberdInstance } from "../harness/ejabberd";
import { tryLogin } from "../helpers/xmpp-client";
import { createUser, type Actor } from "../helpers/fixtures";
import {
  customerWithSeats,
  registerEjabberd,
  startTestWorker,
} from "../helpers/provisioning-world";

// Getting a user back in, checked with a real XMPP client on a real ejabberd.
let ej: EjabberdInstance;
let support: Actor;
let worker: ReturnType<typeof startTestWorker>;

const login = (username: string, password: string) =>
  tryLogin({ host: "127.0.0.1", port: ej.c2sPort, domain: ej.vhost, username, password });
// Jobs due by the (possibly moved) clock the worker uses. (A plain loop: also used in beforeAll.)
async function settled() {
  worker.worker.nudge();
  const deadline = Date.now() + 60_000;
  while (
    await prisma.job.count({
      where: {
        status: { in: ["PENDING", "RUNNING"] },
        runAt: { lte: new Date(now().getTime() + 1000) },
      },
    })
  ) {
    if (Date.now() > deadline) throw new Error("jobs did not finish within 60 s");
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  ej = await startEjabberd();
  support = await createUser("SUPPORT");
  worker = startTestWorker();
  const server = await registerEjabberd(ej, await ej.mintToken());
  const customer = await customerWithSeats(5);
  await createAccount(
    {
      customerId: customer.id,
      localpart: "forgetful",
      serverId: server.id,
      password: "the old password",
    },
    support,
  );
  await createAccount(
    {
      customerId: customer.id,
      localpart: "traveller",
      serverId: server.id,
      password: "traveller password",
    },
    support,
  );
  await settled();
}, 60_000);
afterEach(() => resetClock());
afterAll(async () => {
  await worker?.stop();
  await ej?.stop();
});

describe("account recovery", () => {
  it("a reset link sets a new password once; the old one stops working", async () => {
    const account = await prisma.xmppAccount.findFirstOrThrow({
      where: { localpart: "forgetful" },
    });
    const { link } = await createResetLink(account.id, 24, "user asked by phone", support);
    const token = link.split("/").pop()!;
    expect(await lookUpResetLink(token)).toMatchObject({
      state: "valid",
      address: `forgetful@${ej.vhost}`,
    });
    await resetChatPasswordWithLink(token, "the new password");
    await expect(resetChatPasswordWithLink(token, "another password")).rejects.toThrow(
      /already used/,
    );
    expect((await lookUpResetLink(token)).state).toBe("used");
    await settled();
    expect(await login("forgetful", "the new password")).toEqual({ ok: true });
    expect((await login("forgetful", "the old password")).ok).toBe(false);
    expect(
      await prisma.auditEvent.count({
        where: {
          targetId: account.id,
          action: { in: ["account.reset_link_created", "account.password_reset_by_link"] },
        },
      }),
    ).toBe(2);
  });

  it("an expired reset link is refused", async () => {
    const account = await prisma.xmppAccount.findFirstOrThrow({
      where: { localpart: "forgetful" },
    });
    const { link } = await createResetLink(account.id, 1, "short", support);
    setClock(() => addHours(new Date(), 2));
    expect((await lookUpResetLink(link.split("/").pop()!)).state).toBe("expired");
  });

  it("a temporary password works until it expires, then Parley replaces it", async () => {
    const account = await prisma.xmppAccount.findFirstOrThrow({
      where: { localpart: "traveller" },
    });
    const { password } = await setTemporaryPassword(account.id, 4, "phone lost abroad", support);
    await settled();
    expect(await login("traveller", password)).toEqual({ ok: true });
    expect((await login("traveller", "traveller password")).ok).toBe(false);

    setClock(() => addHours(new Date(), 5)); // the worker sees the expiry job as due
    await settled();
    expect((await login("traveller", password)).ok).toBe(false);
    expect(
      await prisma.auditEvent.count({
        where: { targetId: account.id, action: "account.temporary_password_expired" },
      }),
    ).toBe(1);
  });
});
