import Link from "@/app/_components/link";
import { listNotifications } from "@/lib/notifications/queries";
import { ActionForm } from "@/app/_components/form";
import { EmptyState, formatDateTime } from "@/app/_components/ui";
import { markNotificationsReadAction } from "@/app/_components/security/actions";

export async function NotificationList({ userId }: { userId: string }) {
  const items = await listNotifications(userId);
  if (items.length === 0)
    return (
      <EmptyState title="No notifications">
        Notices about your customers, accounts and invites appear here.
      </EmptyState>
    );
  return (
    <div className="space-y-3">
      <ActionForm
        action={markNotificationsReadAction}
        submit="Mark all as read"
        variant="secondary"
      />
      <ul className="space-y-2">
        {items.map((n) => (
          <li
            key={n.id}
            className={`rounded-lg border p-3 text-sm ${n.readAt ? "border-slate-200 bg-white" : "border-indigo-200 bg-indigo-50"}`}
          >
            <div className="flex justify-between gap-2">
              <span className="font-medium">{n.title}</span>
              <span className="text-xs text-slate-500">{formatDateTime(n.createdAt)}</span>
            </div>
            <p className="mt-1 text-slate-700">{n.body}</p>
            {n.link ? (
              <Link className="mt-1 inline-block text-indigo-700 hover:underline" href={n.link}>
                Open
              </Link>
            ) : null}
          </li>
        ))}
      </ul>
    </div>
  );
}
