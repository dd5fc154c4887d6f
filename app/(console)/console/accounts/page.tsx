import type { Metadata } from "next";
import Link from "@/app/_components/link";
import { createColumnHelper } from "@tanstack/react-table";
import { guardPage } from "@/lib/auth/page-guard";
import { can } from "@/lib/auth/policy";
import { ACCOUNT_LIST_STATUSES, ZAccountListParams, listAccounts } from "@/lib/accounts/queries";
import { listCustomersWithPlan } from "@/lib/customers/queries";
import { listEnabledServers, listServerNames } from "@/lib/servers/queries";
import { PAGE_SIZES } from "@/lib/tables/keyset";
import { SUSPENSION_REASONS } from "@/provisioning/suspension";
import { ActionForm, Field } from "@/app/_components/form";
import {
  Banner,
  ButtonLink,
  Card,
  DownloadLink,
  EmptyState,
  PageHeader,
  formatDateTime,
} from "@/app/_components/ui";
import { KeysetList, listHref } from "@/app/_components/data-table";
import { ListBulkBar, selectColumn } from "@/app/_components/bulk/list-bulk-bar";
import { bulkChoices } from "@/lib/bulk/bulk-actions";
import { ListFilters, serverSelect, statusSelect } from "@/app/_components/list-filters";
import { CustomerFirst } from "@/app/_components/customer-first";
import { AccountStatusBadge } from "./status-badge";
import { createAccountAction } from "./actions";

export const metadata: Metadata = { title: "Accounts" };

type Row = Awaited<ReturnType<typeof listAccounts>>["rows"][number];
const col = createColumnHelper<Row>();
const columns = [
  col.accessor((a) => `${a.localpart}@${a.domain}`, {
    id: "address",
    header: "Address",
    meta: { sortKey: "address" },
    cell: ({ row: { original: a }, getValue }) => (
      <Link
        className="font-mono text-indigo-700 hover:underline"
        href={`/console/accounts/${a.id}`}
      >
        {getValue()}
      </Link>
    ),
  }),
  col.accessor((a) => a.customer.name, {
    id: "customer",
    header: "Customer",
    cell: ({ row: { original: a } }) => (
      <Link className="hover:underline" href={`/console/customers/${a.customer.id}`}>
        {a.customer.name}
      </Link>
    ),
  }),
  col.accessor((a) => a.server.name, { id: "server", header: "Server" }),
  col.accessor("status", {
    header: "Status",
    meta: { sortKey: "status" },
    cell: ({ row: { original: a } }) => (
      <AccountStatusBadge status={a.status} reasons={a.reasons} />
    ),
  }),
  col.accessor("createdAt", {
    header: "Created",
    meta: { sortKey: "created" },
    cell: ({ getValue }) => formatDateTime(getValue()),
  }),
];

export default async function AccountsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await guardPage("accounts.read", "/console/accounts");
  const sp = await searchParams;
  const params = ZAccountListParams.parse(sp);
  const [list, picker, servers, allServers] = await Promise.all([
    listAccounts(params),
    can(user, "accounts.write")
      ? listCustomersWithPlan("open", params.customer)
      : { customers: [], tooMany: false },
    listEnabledServers(),
    listServerNames(),
  ]);
  const view = {
    ...params,
    dir: list.dir,
    size: params.size === 25 ? undefined : params.size,
    deleted: undefined,
  };
  const href = (change: Record<string, string | number | undefined>) =>
    listHref("/console/accounts", view, change);
  const filtered = Boolean(
    params.q ||
    params.status ||
    params.server ||
    params.customer ||
    params.reason ||
    params.from ||
    params.to,
  );
  return (
    <>
      <PageHeader
        title="XMPP accounts"
        description="Addresses on your backing servers, each belonging to a customer."
        actions={
          <div className="flex gap-2">
            <DownloadLink href={listHref("/console/export/accounts", view, {})}>
              Export CSV
            </DownloadLink>
            {can(user, "accounts.write") ? (
              <ButtonLink href="/console/import?kind=accounts" variant="secondary">
                Import CSV
              </ButtonLink>
            ) : null}
          </div>
        }
      />
      {sp.deleted ? (
        <Banner color="green">
          The account is being deleted; its username stays reserved for its customer.
        </Banner>
      ) : null}
      <ListFilters
        path="/console/accounts"
        searchLabel="Search accounts"
        searchPlaceholder="Address or display name"
        params={params}
        hidden={{ sort: params.sort, dir: params.dir, size: view.size, customer: params.customer }}
        selects={[
          statusSelect(ACCOUNT_LIST_STATUSES, params.status),
          serverSelect(allServers, params.server),
          {
            name: "reason",
            label: "Suspension reason",
            any: "Any reason",
            value: params.reason,
            options: SUSPENSION_REASONS.map((r) => ({ value: r, label: r })),
          },
        ]}
      />
      {params.customer ? (
        <p className="mb-3 text-sm text-slate-600">
          Only the accounts of customer{" "}
          <span className="font-medium">{list.rows[0]?.customer.name ?? params.customer}</span>.{" "}
          <Link className="text-indigo-700 hover:underline" href={href({ customer: undefined })}>
            Show every customer’s
          </Link>
        </p>
      ) : null}
      {list.rows.length === 0 ? (
        <EmptyState title={filtered ? "No accounts match" : "No XMPP accounts yet"}>
          {filtered ? (
            <>
              Try part of the address, “contains” instead of “starts with”, or fewer filters.{" "}
              <Link className="text-indigo-700 underline" href="/console/accounts">
                Clear filters
              </Link>
            </>
          ) : servers.length === 0 ? (
            <>
              Connect a server under{" "}
              <Link className="text-indigo-700 underline" href="/console/servers">
                Servers
              </Link>
              , give a customer a plan, then create accounts here.
            </>
          ) : (
            "Create one below, or let people register through an invite."
          )}
        </EmptyState>
      ) : (
        <>
          <ListBulkBar target="accounts" user={user} params={params} count={list.count} />
          <KeysetList
            caption="XMPP accounts"
            noun={["account", "accounts"]}
            columns={
              bulkChoices("accounts", user).length
                ? [selectColumn<Row>((a) => `${a.localpart}@${a.domain}`), ...columns]
                : columns
            }
            list={list}
            size={params.size}
            sizes={PAGE_SIZES}
            href={href}
          />
        </>
      )}
      {can(user, "accounts.write") && servers.length > 0 ? (
        <Card title="Create an account" className="mt-6">
          {picker.tooMany ? (
            <CustomerFirst link="Accounts" />
          ) : picker.customers.length === 0 ? (
            <p className="text-sm text-slate-600">
              {params.customer
                ? "This customer has no plan or is closed. Give it a plan to use its seats."
                : "No customer has a plan yet. Give a customer a plan to use its seats."}
            </p>
          ) : (
            <ActionForm action={createAccountAction} submit="Create account">
              <div className="grid gap-4 sm:grid-cols-2">
                <Field
                  label="Customer"
                  name="customerId"
                  options={picker.customers.map((c) => ({ value: c.id, label: c.name }))}
                />
                <Field
                  label="Server"
                  name="serverId"
                  options={servers.map((s) => ({ value: s.id, label: `${s.name} (${s.domain})` }))}
                />
                <Field
                  label="Username"
                  name="localpart"
                  required
                  hint="Letters, digits, dots, hyphens, underscores. Stored in lower case."
                  autoComplete="off"
                />
                <Field label="Display name" name="displayName" />
                <Field
                  label="Password"
                  name="password"
                  type="password"
                  autoComplete="new-password"
                  hint="Leave empty to generate one, shown once."
                />
              </div>
            </ActionForm>
          )}
        </Card>
      ) : null}
    </>
  );
}
