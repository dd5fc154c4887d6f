import { prisma } from "@/core/db";

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
export function listOutboxEmails() {
  return prisma.outboxEmail.findMany({
    orderBy: { createdAt: "desc" },
    take: 50,
    select: { id: true, to: true, subject: true, text: true, sentAt: true, error: true, createdAt: true },
  });
}
