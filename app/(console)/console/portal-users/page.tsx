import type { Metadata } from "next";
import Link from "@/app/_components/link";
import { createColumnHelper } from "@tanstack/react-table";
import { guardPage } from "@/lib/auth/page-guard";
import { PAGE_SIZES } from "@/lib/tables/keyset";
import { PORTAL_USER_STATES, ZPortalUserListParams, listPortalUsers } from "@/lib/users/queries";
import { Badge, DownloadLink, EmptyState, PageHeader, formatDateTime } from "@/app/_components/ui";
import { KeysetList, listHref } from "@/app/_components/data-table";
import { ListFilters } from "@/app/_components/list-filters";
import { CustomerScope } from "@/app/_components/list-scope";

export const metadata: Metadata = { title: "Portal users" };

const COLORS = { active: "green", disabled: "slate", locked: "amber" } as const;

type Row = Awaited<ReturnType<typeof listPortalUsers>>["rows"][number];
const col = createColumnHelper<Row>();
const columns = [
  col.accessor("name", {
    header: "Name",
    meta: { sortKey: "name" },
    cell: ({ getValue, row: { original: u } }) => (
      <>
        <span className="font-medium">{getValue()}</span>
        {u.twoFactor ? <span className="ml-2 text-xs text-slate-500">two-factor</span> : null}
      </>
    ),
  }),
  col.accessor("email", { header: "Email", meta: { sortKey: "email" } }),
  col.accessor((u) => u.customer?.name, {
    id: "customer",
    header: "Customer",
    cell: ({ row: { original: u } }) =>
      u.customer ? (
        <Link
          className="text-indigo-700 hover:underline"
          href={`/console/customers/${u.customer.id}`}
        >
          {u.customer.name}
        </Link>
      ) : (
        "—"
      ),
  }),
  col.accessor("state", {
    header: "State",
    cell: ({ getValue }) => <Badge color={COLORS[getValue()]}>{getValue()}</Badge>,
  }),
  col.accessor("lastLoginAt", {
    header: "Last signed in",
    meta: { sortKey: "login", newestFirst: true },
    cell: ({ getValue }) => (getValue() ? formatDateTime(getValue()) : "never"),
  }),
  col.accessor("createdAt", {
    header: "Created",
    meta: { sortKey: "created" },
    cell: ({ getValue }) => formatDateTime(getValue()),
  }),
];

export default async function PortalUsersPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await guardPage("customers.read", "/console/portal-users");
  const params = ZPortalUserListParams.parse(await searchParams);
  const list = await listPortalUsers(params);
  const view = { ...params, dir: list.dir, size: params.size === 25 ? undefined : params.size };
  const href = (change: Record<string, string | number | undefined>) =>
    listHref("/console/portal-users", view, change);
  const filtered = Boolean(params.q || params.state || params.customer || params.from || params.to);
  return (
    <>
      <PageHeader
        title="Portal users"
        description="The people who sign in to the portal for a customer and manage its accounts."
        actions={
          <DownloadLink href={listHref("/console/export/portal-users", view, {})}>
            Export CSV
          </DownloadLink>
        }
      />
      <ListFilters
        path="/console/portal-users"
        searchLabel="Search portal users"
        searchPlaceholder="Name or email"
        params={params}
        hidden={{ sort: params.sort, dir: params.dir, size: view.size, customer: params.customer }}
        selects={[
          {
            name: "state",
            label: "State",
            any: "Any state",
            value: params.state,
            options: PORTAL_USER_STATES.map((s) => ({ value: s, label: s })),
          },
        ]}
      />
      {params.customer ? (
        <CustomerScope
          what="portal users"
          name={list.rows[0]?.customer?.name ?? params.customer}
          clearHref={href({ customer: undefined })}
        />
      ) : null}
      {list.rows.length === 0 ? (
        <EmptyState title={filtered ? "No portal users match" : "No portal users yet"}>
          {filtered ? (
            <>
              Try part of the name or email, “contains” instead of “starts with”, or fewer filters.{" "}
              <Link className="text-indigo-700 underline" href="/console/portal-users">
                Clear filters
              </Link>
            </>
          ) : (
            "Invite a customer's first portal user from the customer's page."
          )}
        </EmptyState>
      ) : (
        <KeysetList
          caption="Portal users"
          noun={["portal user", "portal users"]}
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
