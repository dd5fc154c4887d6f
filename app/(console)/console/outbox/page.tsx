import type { Metadata } from "next";
import { guardPage } from "@/lib/auth/page-guard";
import { smtpConfigured } from "@/lib/notifications/send-email";
import { listOutboxEmails, type DeliveryState } from "@/lib/notifications/queries";
import { Badge, Banner, EmptyState, PageHeader, formatDateTime } from "@/app/_components/ui";
import { ActionForm } from "@/app/_components/form";
import { revealEmailLinkAction } from "./actions";

function DeliveryBadge({ delivery: d }: { delivery: DeliveryState }) {
  switch (d.state) {
    case "sent":
      return <Badge color="green">sent</Badge>;
    case "kept":
      return <Badge>kept in outbox</Badge>;
    case "sending":
      return <Badge color="indigo">sending</Badge>;
    case "retrying":
      return (
        <Badge color="amber">
          retrying (attempt {d.attempts} failed: {d.error}); next try {formatDateTime(d.nextTryAt)}
        </Badge>
      );
    case "failed":
      return (
        <Badge color="red">
          failed after {d.attempts} attempts: {d.error ?? "unknown error"}
        </Badge>
      );
  }
}

export const metadata: Metadata = { title: "Outbox" };

export default async function OutboxPage() {
  await guardPage("outbox.read", "/console/outbox");
  const emails = await listOutboxEmails();
  return (
    <>
      <PageHeader
        title="Outbox"
        description="Every email Parley sends. One-time links are never stored in clear: without SMTP, show an email's link to forward it (recorded in the audit log)."
      />
      {!smtpConfigured() ? (
        <Banner color="indigo">
          SMTP is not configured (set SMTP_URL): emails are kept here and not delivered.
        </Banner>
      ) : null}
      {emails.length === 0 ? (
        <EmptyState title="No emails yet">Invitations and notices appear here.</EmptyState>
      ) : (
        <ul className="space-y-3">
          {emails.map((m) => (
            <li
              key={m.id}
              className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm"
              data-testid="outbox-email"
            >
              <div className="flex flex-wrap items-center gap-2 text-sm">
                <span className="font-medium">{m.subject}</span>
                <span className="text-slate-500">to {m.to}</span>
                <DeliveryBadge delivery={m.delivery} />
                <span className="ml-auto text-xs text-slate-500">
                  {formatDateTime(m.createdAt)}
                </span>
              </div>
              <pre className="mt-2 whitespace-pre-wrap break-all font-sans text-sm text-slate-700">
                {m.text}
              </pre>
              {m.linkKept ? (
                <ActionForm
                  action={revealEmailLinkAction}
                  hidden={{ emailId: m.id }}
                  submit="Show the link"
                  variant="secondary"
                  idPrefix={`reveal-${m.id}-`}
                  className="mt-2 space-y-2"
                />
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
