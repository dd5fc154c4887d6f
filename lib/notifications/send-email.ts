import { prisma, type DB } from "@/core/db";
import { getConfig } from "@/core/config";
import { now } from "@/core/clock";
import { enqueue } from "@/lib/jobs/job-types";
import { nudgeWorker } from "@/provisioning/queue/nudge";

export type Email = { to: string; subject: string; text: string };

type Writer = Pick<DB, "outboxEmail" | "job">;

export function smtpConfigured(): boolean {
  return Boolean(getConfig().smtpUrl);
}

// Every email is written to the outbox; with SMTP configured an email.send job delivers it
// (retried while the relay is down), so no request or webhook waits for SMTP.
// Pass the caller's transaction to send only if its change commits.
export async function sendEmail(
  email: Email,
  tx?: Writer,
): Promise<{ id: string; queued: boolean }> {
  const smtp = smtpConfigured();
  const write = async (db: Writer) => {
    const row = await db.outboxEmail.create({
      data: { ...email, transport: smtp ? "smtp" : "outbox", createdAt: now() },
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

export function redactLinks(text: string): string {
  return text.replace(
    /https?:\/\/\S+\/(welcome|invite|reset|setup)\/[A-Za-z0-9_-]+/g,
    "[one-time link removed after delivery]",
  );
}
