import { prisma } from "@/core/db";
import { now } from "@/core/clock";
import { getConfig } from "@/core/config";
import { sendEmail } from "@/lib/notifications/send-email";

export type Notice = { title: string; body: string; link?: string; email?: boolean };

// The one place that tells staff and portal users something: in-console always,
// by email when asked (delivered by SMTP when configured, otherwise kept in the outbox).
export async function notifyUsers(userIds: string[], notice: Notice): Promise<void> {
  if (userIds.length === 0) return;
  const users = await prisma.user.findMany({
    where: { id: { in: userIds }, disabledAt: null },
    select: { id: true, email: true },
  });
  await prisma.notification.createMany({
    data: users.map((u) => ({
      userId: u.id,
      title: notice.title,
      body: notice.body,
      link: notice.link ?? null,
      createdAt: now(),
    })),
  });
  if (!notice.email) return;
  const link = notice.link ? `\n\n${getConfig().publicUrl}${notice.link}` : "";
  for (const user of users) {
    await sendEmail({ to: user.email, subject: notice.title, text: `${notice.body}${link}` });
  }
}

export async function notifyRole(role: "ADMIN" | "SUPPORT", notice: Notice): Promise<void> {
  const staff = await prisma.user.findMany({
    where: { role, disabledAt: null },
    select: { id: true },
  });
  await notifyUsers(
    staff.map((s) => s.id),
    notice,
  );
}

export async function notifyCustomer(customerId: string, notice: Notice): Promise<void> {
  const users = await prisma.user.findMany({
    where: { customerId, role: "CUSTOMER", disabledAt: null },
    select: { id: true },
  });
  await notifyUsers(
    users.map((u) => u.id),
    notice,
  );
}
