import { prisma } from "@/core/db";
import { now } from "@/core/clock";

// Reads of in-app notifications and the email outbox.

// A user's latest 50 notifications, newest first.
export function listNotifications(userId: string) {
  return prisma.notification.findMany({
    where: { userId },
    orderBy: { createdAt: "desc" },
    take: 50,
    select: { id: true, title: true, body: true, link: true, readAt: true, createdAt: true },
  });
}

export function countUnreadNotifications(userId: string): Promise<number> {
  return prisma.notification.count({ where: { userId, readAt: null } });
}

// The latest 50 emails, sent or kept.
export type DeliveryState =
  | { state: "kept" }
  | { state: "sent"; at: Date }
  | { state: "sending" }
  | { state: "retrying"; attempts: number; error: string | null; nextTryAt: Date }
  | { state: "failed"; attempts: number; error: string | null };

// The newest emails with where each stands: kept (no SMTP), sent, or its delivery job's state.
export async function listOutboxEmails() {
  const emails = await prisma.outboxEmail.findMany({
    orderBy: { createdAt: "desc" },
    take: 50,
    select: {
      id: true,
      to: true,
      subject: true,
      text: true,
      transport: true,
      sentAt: true,
      error: true,
      createdAt: true,
      sealedText: true,
      sealedUntil: true,
    },
  });
  const jobs = await prisma.job.findMany({
    where: { type: "email.send", subjectId: { in: emails.map((e) => e.id) } },
    select: { subjectId: true, status: true, attempts: true, runAt: true, lastError: true },
  });
  const jobOf = new Map(jobs.map((j) => [j.subjectId, j]));
  // The page learns only whether a sealed link can still be opened, never the sealed text.
  return emails.map(({ sealedText, sealedUntil, ...email }) => ({
    ...email,
    linkKept: Boolean(sealedText) && !email.sentAt && (!sealedUntil || sealedUntil > now()),
    delivery: deliveryOf(email, jobOf.get(email.id)),
  }));
}

function deliveryOf(
  email: { transport: string; sentAt: Date | null; error: string | null },
  job: { status: string; attempts: number; runAt: Date; lastError: string | null } | undefined,
): DeliveryState {
  if (email.sentAt) return { state: "sent", at: email.sentAt };
  if (email.transport !== "smtp") return { state: "kept" };
  const error = job?.lastError ?? email.error;
  if (!job || job.status === "FAILED" || job.status === "CANCELLED") {
    return { state: "failed", attempts: job?.attempts ?? 0, error };
  }
  if (job.attempts > 0 && error) {
    return { state: "retrying", attempts: job.attempts, error, nextTryAt: job.runAt };
  }
  return { state: "sending" };
}
