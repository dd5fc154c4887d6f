import { prisma, type DB } from "@/core/db";
import { getConfig } from "@/core/config";
import { now } from "@/core/clock";
import { AppError } from "@/core/errors";
import { open, seal } from "@/core/secrets";
import { recordAudit } from "@/lib/audit/record-audit";
import { enqueue } from "@/lib/jobs/job-types";
import { nudgeWorker } from "@/provisioning/queue/nudge";

// linksExpireAt: when the one-time links in the text stop working (none: when the row goes).
export type Email = { to: string; subject: string; text: string; linksExpireAt?: Date | null };

type Writer = Pick<DB, "outboxEmail" | "job">;

export function smtpConfigured(): boolean {
  return Boolean(getConfig().smtpUrl);
}

// A one-time link's token: /welcome/, /invite/, /reset/, /account/reset/ or /setup/ + 256 bits.
const LINK_TOKEN = /(\/(?:welcome|invite|reset|setup)\/)[A-Za-z0-9_-]+/;
const REDACTED = "[one-time link, not stored]";

export function redactLinks(text: string): string {
  return text.replace(new RegExp(LINK_TOKEN, "g"), `$1${REDACTED}`);
}

// Every email is written to the outbox; with SMTP configured an email.send job delivers it
// (retried while the relay is down), so no request or webhook waits for SMTP.
// The stored text never holds a usable link (the database and its WAL are readable by whoever
// gets the files): links are redacted, and the whole body is sealed with the encryption key for
// the delivery job, or for an admin to open (audited) when there is no SMTP.
// Pass the caller's transaction to send only if its change commits.
export async function sendEmail(
  email: Email,
  tx?: Writer,
): Promise<{ id: string; queued: boolean }> {
  const smtp = smtpConfigured();
  const text = redactLinks(email.text);
  const sealed = text === email.text ? null : seal(email.text);
  const write = async (db: Writer) => {
    const row = await db.outboxEmail.create({
      data: {
        to: email.to,
        subject: email.subject,
        text,
        sealedText: sealed,
        sealedUntil: sealed ? (email.linksExpireAt ?? null) : null,
        transport: smtp ? "smtp" : "outbox",
        createdAt: now(),
      },
      select: { id: true },
    });
    if (smtp) {
      await enqueue(db, "email.send", { emailId: row.id }, { maxAttempts: 10, subjectId: row.id });
    }
    return row;
  };
  const row = tx ? await write(tx) : await prisma.$transaction(write);
  if (smtp) nudgeWorker();
  return { id: row.id, queued: smtp };
}

type Stored = { text: string; sealedText: string | null; sealedUntil: Date | null };

// The body as it was written, while its sealed copy lasts; else the redacted one.
export function emailBody(email: Stored): { text: string; complete: boolean } {
  if (!email.sealedText) return { text: email.text, complete: !email.text.includes(REDACTED) };
  if (email.sealedUntil && email.sealedUntil <= now()) return { text: email.text, complete: false };
  return { text: open(email.sealedText), complete: true };
}

// The sealed copy is dropped once delivered or expired: nothing usable stays behind.
export const DROP_SEALED = { sealedText: null, sealedUntil: null } as const;

// Daily: drops the sealed copies whose links expired, and redacts links that emails stored
// before sealing existed still hold in clear. Returns how many emails it changed.
export async function sweepOutboxLinks(db: Pick<DB, "outboxEmail">): Promise<number> {
  const expired = await db.outboxEmail.updateMany({
    where: { sealedText: { not: null }, sealedUntil: { lte: now() } },
    data: DROP_SEALED,
  });
  const legacy = await db.outboxEmail.findMany({
    where: {
      sealedText: null,
      OR: ["/welcome/", "/invite/", "/reset/", "/setup/"].map((p) => ({ text: { contains: p } })),
    },
    select: { id: true, text: true },
  });
  let redacted = 0;
  for (const email of legacy) {
    const text = redactLinks(email.text);
    if (text === email.text) continue;
    await db.outboxEmail.update({ where: { id: email.id }, data: { text } });
    redacted++;
  }
  return expired.count + redacted;
}

// Without SMTP admins forward emails by hand: the one-time link of a kept email, opened from its
// sealed copy while it still works, and audited (who saw which email's link).
export async function revealEmailLink(
  emailId: string,
  actor: { id: string; email: string },
): Promise<string> {
  const email = await prisma.outboxEmail.findUnique({ where: { id: emailId } });
  if (!email) throw new AppError("not_found", "This email is no longer in the outbox.");
  const body = email.sentAt ? null : emailBody(email);
  const link = body?.complete
    ? body.text.match(/https?:\/\/\S+/g)?.find((url) => LINK_TOKEN.test(url))
    : null;
  if (!link)
    throw new AppError(
      "invalid",
      email.sentAt
        ? "This email was delivered; its link was not kept. Issue a new one if it is needed."
        : "This email's link has expired and was not kept. Issue a new one.",
    );
  await recordAudit({
    actor,
    action: "outbox.link_revealed",
    targetType: "outboxEmail",
    targetId: email.id,
    details: { subject: email.subject },
  });
  return link;
}
