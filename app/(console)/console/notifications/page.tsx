import type { Metadata } from "next";
import { guardPage } from "@/lib/auth/page-guard";
import { PageHeader } from "@/app/_components/ui";
import { NotificationList } from "@/app/_components/notification-list";

export const metadata: Metadata = { title: "Notifications" };

export default async function ConsoleNotificationsPage() {
  const user = await guardPage("console.view", "/console/notifications");
  return (
    <>
      <PageHeader title="Notifications" />
      <NotificationList userId={user.id} />
    </>
  );
}
