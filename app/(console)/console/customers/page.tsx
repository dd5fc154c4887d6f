import type { Metadata } from "next";
import Link from "@/app/_components/link";
import { createColumnHelper } from "@tanstack/react-table";
import { guardPage } from "@/lib/auth/page-guard";
import { can } from "@/lib/auth/policy";
import { ZCustomerListParams, listCustomers } from "@/lib/customers/queries";
import { listPlans } from "@/lib/plans/queries";
import { PAGE_SIZES } from "@/lib/tables/keyset";
import { CUSTOMER_STATUSES } from "@/lib/validation/customers";
import {
  Badge,
  ButtonLink,
  DownloadLink,
  EmptyState,
  PageHeader,
  formatDateTime,
} from "@/app/_components/ui";
import { KeysetList, listHref } from "@/app/_components/data-table";
import { ListBulkBar, selectColumn } from "@/app/_components/bulk/list-bulk-bar";
import { bulkChoices } from "@/lib/bulk/bulk-actions";
import { ListFilters, statusSelect } from "@/app/_components/list-filters";
import { StatusBadge } from "./status-badge";

export const metadata: Metadata = { title: "Customers" };

type Row = Awaited<ReturnType<typeof listCustomers>>["rows"][number];
const col = createColumnHelper<Row>();
const columns = [
  col.accessor("name", {
    header: "Name",
    meta: { sortKey: "name" },
    cell: ({ row: { original: c } }) => (
      <>
        <Link
          className="font-medium text-indigo-700 hover:underline"
          href={`/console/customers/${c.id}`}
        >
          {c.name}
        </Link>
        <div className="text-xs text-slate-500">
          {c.contactEmail} · {c.kind.toLowerCase()}
        </div>
      </>
    ),
  }),
  col.accessor((c) => c.plan?.name, {
    id: "plan",
    header: "Plan",
    cell: ({ getValue }) => getValue() ?? <Badge>no plan</Badge>,
  }),
  col.accessor("accounts", {
    header: "Accounts",
    cell: ({ row: { original: c } }) => `${c.accounts}${c.plan ? ` / ${c.plan.seats}` : ""}`,
  }),
  col.accessor("status", {
    header: "Status",
    meta: { sortKey: "status" },
    cell: ({ getValue }) => <StatusBadge status={getValue()} />,
  }),
  col.accessor("createdAt", {
    header: "Since",
    meta: { sortKey: "created" },
    cell: ({ getValue }) => formatDateTime(getValue()),
  }),
];

export default async function CustomersPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await guardPage("customers.read", "/console/customers");
  const params = ZCustomerListParams.parse(await searchParams);
  const [list, plans] = await Promise.all([
    listCustomers(params),
    listPlans({ includeArchived: true }),
  ]);
  const canWrite = can(user, "customers.write");
  const view = { ...params, dir: list.dir, size: params.size === 25 ? undefined : params.size };
  const href = (change: Record<string, string | number | undefined>) =>
    listHref("/console/customers", view, change);
  const filtered = Boolean(params.q || params.status || params.plan || params.from || params.to);
  return (
    <>
      <PageHeader
        title="Customers"
        description="Subscribers: the people, families and companies who pay for your service."
        actions={
          <div className="flex gap-2">
            <DownloadLink href={listHref("/console/export/customers", view, {})}>
              Export CSV
            </DownloadLink>
            {canWrite ? (
              <>
                <ButtonLink href="/console/import?kind=customers" variant="secondary">
                  Import CSV
                </ButtonLink>
                <ButtonLink href="/console/customers/new">Add customer</ButtonLink>
              </>
            ) : null}
          </div>
        }
      />
      <ListFilters
        path="/console/customers"
        searchLabel="Search customers"
        searchPlaceholder="Name or email"
        params={params}
        hidden={{ sort: params.sort, dir: params.dir, size: view.size }}
        selects={[
          statusSelect(CUSTOMER_STATUSES, params.status),
          {
            name: "plan",
            label: "Plan",
            any: "Any plan",
            value: params.plan,
            options: [
              { value: "none", label: "No plan" },
              ...plans.map((p) => ({ value: p.id, label: p.name })),
            ],
          },
        ]}
      />
      {list.rows.length === 0 ? (
        filtered || params.after || params.before ? (
          <EmptyState title="No customers match">
            Try a shorter search, “contains” instead of “starts with”, or fewer filters.{" "}
            <Link className="text-indigo-700 underline" href="/console/customers">
              Clear filters
            </Link>
          </EmptyState>
        ) : (
          <EmptyState
            title="No customers yet"
            action={
              canWrite ? (
                <ButtonLink href="/console/customers/new">Add your first customer</ButtonLink>
              ) : null
            }
          >
            A customer is whoever pays: a person, a family or a company. Its portal users manage its
            XMPP accounts.
          </EmptyState>
        )
      ) : (
        <>
          <ListBulkBar target="customers" user={user} params={params} count={list.count} />
          <KeysetList
            caption="Customers"
            noun={["customer", "customers"]}
            columns={
              bulkChoices("customers", user).length
                ? [selectColumn<Row>((c) => c.name), ...columns]
                : columns
            }
            list={list}
            size={params.size}
            sizes={PAGE_SIZES}
            href={href}
          />
        </>
      )}
    </>
  );
}
