import type { Metadata } from "next";
import Link from "@/app/_components/link";
import { createColumnHelper } from "@tanstack/react-table";
import { guardPage } from "@/lib/auth/page-guard";
import { smtpConfigured } from "@/lib/notifications/send-email";
import {
  OUTBOX_STATUSES,
  ZOutboxListParams,
  listOutboxEmails,
  type DeliveryState,
} from "@/lib/notifications/queries";
import { PAGE_SIZES } from "@/lib/tables/keyset";
import {
  Badge,
  Banner,
  DownloadLink,
  EmptyState,
  PageHeader,
  formatDateTime,
} from "@/app/_components/ui";
import { ActionForm } from "@/app/_components/form";
import { KeysetList, listHref } from "@/app/_components/data-table";
import { ListFilters, statusSelect } from "@/app/_components/list-filters";
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

type Row = Awaited<ReturnType<typeof listOutboxEmails>>["rows"][number];
const col = createColumnHelper<Row>();
// The stored body is the redacted one; a kept link is only ever opened by "Show the link".
const columns = [
  col.accessor("subject", {
    header: "Email",
    cell: ({ row: { original: m } }) => (
      <div data-testid="outbox-email" className="max-w-xl">
        <div className="font-medium">{m.subject}</div>
        <div className="text-xs text-slate-500">to {m.to}</div>
        <details className="mt-1 text-xs">
          <summary className="cursor-pointer text-indigo-700">Body</summary>
          <pre className="mt-1 whitespace-pre-wrap break-all font-sans text-sm text-slate-700">
            {m.text}
          </pre>
        </details>
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
      </div>
    ),
  }),
  col.accessor((m) => m.delivery.state, {
    id: "status",
    header: "Status",
    cell: ({ row: { original: m } }) => <DeliveryBadge delivery={m.delivery} />,
  }),
  col.accessor("createdAt", {
    header: "Written",
    meta: { sortKey: "created" },
    cell: ({ getValue }) => <span className="whitespace-nowrap">{formatDateTime(getValue())}</span>,
  }),
];

export const metadata: Metadata = { title: "Outbox" };

export default async function OutboxPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await guardPage("outbox.read", "/console/outbox");
  const params = ZOutboxListParams.parse(await searchParams);
  const list = await listOutboxEmails(params);
  const view = { ...params, dir: list.dir, size: params.size === 25 ? undefined : params.size };
  const href = (change: Record<string, string | number | undefined>) =>
    listHref("/console/outbox", view, change);
  const filtered = Boolean(params.q || params.status || params.from || params.to);
  return (
    <>
      <PageHeader
        title="Outbox"
        description="Every email Parley sends. One-time links are never stored in clear: without SMTP, show an email's link to forward it (recorded in the audit log)."
        actions={
          <DownloadLink href={listHref("/console/export/outbox", view, {})}>
            Export CSV
          </DownloadLink>
        }
      />
      {!smtpConfigured() ? (
        <Banner color="indigo">
          SMTP is not configured (set SMTP_URL): emails are kept here and not delivered.
        </Banner>
      ) : null}
      <ListFilters
        path="/console/outbox"
        searchLabel="Search emails"
        searchPlaceholder="Recipient or subject"
        params={params}
        dateLabel="Written"
        hidden={{ sort: params.sort, dir: params.dir, size: view.size }}
        selects={[
          statusSelect(OUTBOX_STATUSES, params.status, (s) =>
            s === "failed" ? "failed or retrying" : s === "kept" ? "kept (no SMTP)" : s,
          ),
        ]}
      />
      {list.rows.length === 0 ? (
        <EmptyState title={filtered ? "No emails match" : "No emails yet"}>
          {filtered ? (
            <>
              Try part of the address, “contains” instead of “starts with”, or fewer filters.{" "}
              <Link className="text-indigo-700 underline" href="/console/outbox">
                Clear filters
              </Link>
            </>
          ) : (
            "Invitations and notices appear here."
          )}
        </EmptyState>
      ) : (
        <KeysetList
          caption="Emails"
          noun={["email", "emails"]}
          columns={columns}
          list={list}
          size={params.size}
          sizes={PAGE_SIZES}
          href={href}
        />
      )}
    </>
  );
}
