import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/core/db";
import { jobDefinitions } from "@/lib/jobs/job-types";
import { emailJobs } from "@/lib/notifications/jobs";
import { ZOutboxListParams, listOutboxEmails } from "@/lib/notifications/queries";
import { sweepOutboxLinks, revealEmailLink, sendEmail } from "@/lib/notifications/send-email";
import { resetClock, setClock } from "@/core/clock";
import { addHours } from "date-fns";
import { createWorld } from "../helpers/fixtures";
import { freePort } from "@/tests/harness/ports";
import { Worker } from "@/provisioning/queue/worker";
import { startSmtpSink, type SmtpSink } from "../harness/smtp-sink";

// Mail leaves through the job queue: a relay that is down delays it, and nothing is lost.
let smtp: SmtpSink;
beforeAll(async () => {
  smtp = await startSmtpSink();
});
afterAll(async () => {
  delete process.env.SMTP_URL;
  await smtp.stop();
});

const worker = () =>
  new Worker({ db: prisma, jobs: jobDefinitions(emailJobs as never), backoff: () => 0 });

async function deliveryOf(id: string) {
  return (await listOutboxEmails(ZOutboxListParams.parse({}))).rows.find((e) => e.id === id)!
    .delivery;
}

describe("outgoing email", () => {
  it("waits in the outbox while the relay is down, then is delivered and redacted", async () => {
    process.env.SMTP_URL = `smtp://127.0.0.1:${await freePort()}`;
    const link = "http://parley.test/reset/abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    const { id, queued } = await sendEmail({ to: "a@example.org", subject: "Reset", text: link });
    expect(queued).toBe(true);
    expect(await deliveryOf(id)).toEqual({ state: "sending" });

    expect(await worker().runOnce()).toBe(true);
    const retrying = await deliveryOf(id);
    expect(retrying.state).toBe("retrying");
    expect(retrying).toMatchObject({ attempts: 1, error: expect.stringMatching(/ECONNREFUSED/) });
    expect(smtp.mails).toHaveLength(0);

    process.env.SMTP_URL = smtp.url;
    expect(await worker().runOnce()).toBe(true);
    expect(smtp.mails.map((m) => m.to)).toEqual([["a@example.org"]]);
    expect((await deliveryOf(id)).state).toBe("sent");
    const stored = await prisma.outboxEmail.findUniqueOrThrow({ where: { id } });
    expect(stored.text).not.toContain(link);
    expect(stored.error).toBeNull();
  });

  it("is written and queued with the caller's transaction, or not at all", async () => {
    process.env.SMTP_URL = smtp.url;
    const before = await Promise.all([prisma.outboxEmail.count(), prisma.job.count()]);
    await expect(
      prisma.$transaction(async (tx) => {
        await sendEmail({ to: "b@example.org", subject: "Never", text: "rolled back" }, tx);
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(await Promise.all([prisma.outboxEmail.count(), prisma.job.count()])).toEqual(before);
  });

  it("stays in the outbox, undelivered and not queued, without SMTP", async () => {
    delete process.env.SMTP_URL;
    const { id, queued } = await sendEmail({ to: "c@example.org", subject: "Kept", text: "x" });
    expect(queued).toBe(false);
    expect(await deliveryOf(id)).toEqual({ state: "kept" });
    expect(await prisma.job.count({ where: { type: "email.send", subjectId: id } })).toBe(0);
  });

  it("drops the sealed link once it expires: nothing left to deliver or to show", async () => {
    delete process.env.SMTP_URL;
    const w = await createWorld();
    const link = "http://parley.test/reset/abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    const { id } = await sendEmail({
      to: "d@example.org",
      subject: "Reset",
      text: `Here: ${link}`,
      linksExpireAt: addHours(new Date(), 1),
    });
    expect(await revealEmailLink(id, w.admin)).toBe(link);
    setClock(() => addHours(new Date(), 2));
    try {
      await expect(revealEmailLink(id, w.admin)).rejects.toThrow(/expired/);
      expect(await sweepOutboxLinks(prisma)).toBeGreaterThanOrEqual(1);
    } finally {
      resetClock();
    }
    const stored = await prisma.outboxEmail.findUniqueOrThrow({ where: { id } });
    expect([stored.sealedText, stored.text]).toEqual([
      null,
      "Here: http://parley.test/reset/[one-time link, not stored]",
    ]);
  });

  it("redacts a live link an email stored before sealing existed (an upgraded install)", async () => {
    const link = "http://parley.test/welcome/abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    const old = await prisma.outboxEmail.create({
      data: { to: "e@example.org", subject: "Old", text: `Old: ${link}`, transport: "outbox" },
    });
    await sweepOutboxLinks(prisma);
    const stored = await prisma.outboxEmail.findUniqueOrThrow({ where: { id: old.id } });
    expect(stored.text).toBe("Old: http://parley.test/welcome/[one-time link, not stored]");
  });
});
