import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { prisma } from "@/core/db";
import { resetConfigForTests } from "@/core/config";
import { verifyPassword } from "@/lib/auth/password";
import {
  createResetLink,
  emailResetLink,
  lookUpResetLink,
} from "@/lib/chat-password-reset/reset-links";
import {
  completeConsolePasswordReset,
  requestConsolePasswordReset,
} from "@/lib/console-password-reset/by-email";
import { requestChatPasswordReset } from "@/lib/chat-password-reset/by-owner";
import { withdrawResetLink } from "@/lib/chat-password-reset/by-staff";
import { setRecoveryEmail } from "@/lib/accounts/set-recovery-email";
import { createWorld } from "../helpers/fixtures";
import { linkIn, startSmtpSink, type SmtpSink } from "../harness/smtp-sink";
import { deliverEmails } from "../helpers/deliver-emails";

// Forgotten passwords without calling support: real mail over SMTP to a loopback server.
let smtp: SmtpSink;
beforeAll(async () => {
  smtp = await startSmtpSink();
});
afterAll(async () => {
  delete process.env.SMTP_URL;
  resetConfigForTests();
  await smtp.stop();
});
beforeEach(() => {
  process.env.SMTP_URL = smtp.url;
  resetConfigForTests();
  smtp.mails.length = 0;
});

describe("console sign-in reset by email", () => {
  it("mails a one-hour link that sets a new password once, ends sessions and lifts a lockout", async () => {
    const world = await createWorld();
    const user = world.customerUser;
    await prisma.user.update({
      where: { id: user.id },
      data: { failedLogins: 7, lockedUntil: new Date(Date.now() + 3_600_000) },
    });
    const before = await prisma.user.findUniqueOrThrow({
      where: { id: user.id },
      select: { sessionVersion: true },
    });

    await requestConsolePasswordReset(user.email.toUpperCase());
    await deliverEmails();
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0].to).toEqual([user.email]);
    const link = linkIn(smtp.mails[0], "/account/reset");
    expect(link).toBeDefined();
    const token = link!.split("/").pop()!;

    await completeConsolePasswordReset(token, "a fresh console passphrase");
    const after = await prisma.user.findUniqueOrThrow({
      where: { id: user.id },
      select: { passwordHash: true, sessionVersion: true, failedLogins: true, lockedUntil: true },
    });
    expect(await verifyPassword(after.passwordHash!, "a fresh console passphrase")).toBe(true);
    expect(after.sessionVersion).toBe(before.sessionVersion + 1);
    expect(after.failedLogins).toBe(0);
    expect(after.lockedUntil).toBeNull();
    await expect(completeConsolePasswordReset(token, "yet another passphrase")).rejects.toThrow(
      /expired or was already used/,
    );
    // Only the token's hash is kept; the delivered email's copy has the link removed.
    const outbox = await prisma.outboxEmail.findFirstOrThrow({
      where: { to: user.email },
      orderBy: { createdAt: "desc" },
    });
    expect(outbox.sentAt).not.toBeNull();
    expect(outbox.text).not.toContain(token);
  });

  it("answers an unknown or disabled email without sending anything", async () => {
    const world = await createWorld();
    await requestConsolePasswordReset("nobody-here@parley.test");
    await prisma.user.update({ where: { id: world.support.id }, data: { disabledAt: new Date() } });
    await requestConsolePasswordReset(world.support.email);
    await deliverEmails();
    expect(smtp.mails).toHaveLength(0);
  });

  it("sends at most three links per address an hour", async () => {
    const world = await createWorld();
    for (let i = 0; i < 5; i++) await requestConsolePasswordReset(world.admin.email);
    await deliverEmails();
    expect(smtp.mails).toHaveLength(3);
  });

  it("without SMTP, refuses with a message that sends people to a person", async () => {
    delete process.env.SMTP_URL;
    resetConfigForTests();
    const world = await createWorld();
    await expect(requestConsolePasswordReset(world.admin.email)).rejects.toThrow(/Ask your admin/);
    await expect(requestChatPasswordReset("someone@example.org")).rejects.toThrow(
      /Ask whoever runs your account/,
    );
  });
});

describe("chat account reset by recovery email", () => {
  it("sends a reset link only to the recovery email the customer recorded", async () => {
    const world = await createWorld();
    const account = await prisma.xmppAccount.findUniqueOrThrow({
      where: { id: world.accountId },
      select: { localpart: true, domain: true },
    });
    const address = `${account.localpart}@${account.domain}`;

    await requestChatPasswordReset(address);
    await deliverEmails();
    expect(smtp.mails, "no recovery email yet: nothing is sent").toHaveLength(0);

    await setRecoveryEmail(world.accountId, "owner@example.org", world.customerUser);
    await requestChatPasswordReset(` ${address.toUpperCase()} `);
    await deliverEmails();
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0].to).toEqual(["owner@example.org"]);
    const link = linkIn(smtp.mails[0], "/reset");
    const lookup = await lookUpResetLink(link!.split("/").pop()!);
    expect(lookup).toMatchObject({ state: "valid", address });
    const audit = await prisma.auditEvent.findFirstOrThrow({
      where: { action: "account.reset_link_created", targetId: world.accountId },
      orderBy: { at: "desc" },
    });
    expect(audit.actorId).toBeNull();
    expect(JSON.stringify(audit)).not.toContain("owner@example.org");

    await setRecoveryEmail(world.accountId, null, world.customerUser);
    await requestChatPasswordReset(address);
    await deliverEmails();
    expect(smtp.mails).toHaveLength(1);
  });
});

describe("reset links from support", () => {
  it("can be emailed to the user and withdrawn before use", async () => {
    const world = await createWorld();
    const { link, resetLinkId } = await createResetLink(
      world.accountId,
      24,
      "forgot the password",
      world.support,
    );
    expect(await emailResetLink(world.accountId, link, 24, "user@example.org")).toMatchObject({
      queued: true,
    });
    await deliverEmails();
    expect(smtp.mails.map((m) => m.to)).toEqual([["user@example.org"]]);
    expect(linkIn(smtp.mails[0], "/reset")).toBe(link);
    const token = link.split("/").pop()!;
    expect((await lookUpResetLink(token)).state).toBe("valid");
    await withdrawResetLink(resetLinkId, world.support);
    expect((await lookUpResetLink(token)).state).toBe("revoked");
  });
});
