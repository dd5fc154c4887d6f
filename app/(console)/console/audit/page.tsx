import type { Metadata } from "next";
import Link from "@/app/_components/link";
import { createColumnHelper } from "@tanstack/react-table";
import { guardPage } from "@/lib/auth/page-guard";
import { AUDIT_TARGET_TYPES, ZAuditListParams, listAuditEvents } from "@/lib/audit/queries";
import { PAGE_SIZES } from "@/lib/tables/keyset";
import { DownloadLink, EmptyState, PageHeader, formatDateTime } from "@/app/_components/ui";
import { KeysetList, listHref } from "@/app/_components/data-table";
import { ListFilters } from "@/app/_components/list-filters";

export const metadata: Metadata = { title: "Audit" };

type Row = Awaited<ReturnType<typeof listAuditEvents>>["rows"][number];
const col = createColumnHelper<Row>();
const columns = [
  col.accessor("at", {
    header: "When",
    meta: { sortKey: "time", newestFirst: true },
    cell: ({ getValue }) => <span className="whitespace-nowrap">{formatDateTime(getValue())}</span>,
  }),
  col.accessor("actorLabel", { header: "Who" }),
  col.accessor("action", {
    header: "What",
    cell: ({ getValue }) => <span className="font-mono text-xs">{getValue()}</span>,
  }),
  col.accessor("targetType", {
    header: "Target",
    cell: ({ row: { original: e } }) => (
      <span className="text-xs">
        {e.targetType}
        {e.targetId ? (
          <span className="font-mono" title={e.targetId}>
            {" "}
            {e.targetId.slice(0, 10)}
          </span>
        ) : null}
      </span>
    ),
  }),
  col.accessor("reason", {
    header: "Reason",
    cell: ({ getValue }) => <span className="text-xs">{getValue() ?? "—"}</span>,
  }),
];

export default async function AuditPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await guardPage("audit.read", "/console/audit");
  const params = ZAuditListParams.parse(await searchParams);
  const list = await listAuditEvents(user, params);
  const view = { ...params, dir: list.dir, size: params.size === 25 ? undefined : params.size };
  const href = (change: Record<string, string | number | undefined>) =>
    listHref("/console/audit", view, change);
  const filtered = Boolean(
    params.q ||
    params.action ||
    params.actor ||
    params.customer ||
    params.target ||
    params.from ||
    params.to,
  );
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Who did what and when. Parley records no IP addresses or client details here."
        actions={
          <DownloadLink href={listHref("/console/export/audit", view, {})}>Export CSV</DownloadLink>
        }
      />
      <ListFilters
        path="/console/audit"
        searchLabel="Search events"
        searchPlaceholder="Target id or reason"
        params={params}
        dateLabel="Date"
        hidden={{ sort: params.sort, dir: params.dir, size: view.size, customer: params.customer }}
        texts={[
          {
            name: "action",
            label: "Action starts with",
            value: params.action,
            placeholder: "e.g. account.",
          },
          { name: "actor", label: "Actor", value: params.actor, placeholder: "Whole email" },
        ]}
        selects={[
          {
            name: "target",
            label: "Target type",
            any: "Any target",
            value: params.target,
            options: AUDIT_TARGET_TYPES.map((t) => ({ value: t, label: t })),
          },
        ]}
      />
      {params.customer ? (
        <p className="mb-3 text-sm text-slate-600">
          Only the events of one customer.{" "}
          <Link className="text-indigo-700 hover:underline" href={href({ customer: undefined })}>
            Show every customer’s
          </Link>
        </p>
      ) : null}
      {list.rows.length === 0 ? (
        <EmptyState title={filtered ? "No events match" : "Nothing recorded yet"}>
          {filtered ? (
            <>
              Try a shorter action, “contains” for the reason, or fewer filters.{" "}
              <Link className="text-indigo-700 underline" href="/console/audit">
                Clear filters
              </Link>
            </>
          ) : (
            "Every change made in Parley appears here with who made it."
          )}
        </EmptyState>
      ) : (
        <KeysetList
          caption="Audit events"
          noun={["event", "events"]}
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
