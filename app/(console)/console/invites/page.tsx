import type { Metadata } from "next";
import Link from "@/app/_components/link";
import { createColumnHelper } from "@tanstack/react-table";
import { guardPage } from "@/lib/auth/page-guard";
import { can } from "@/lib/auth/policy";
import { listInvitableAccounts } from "@/lib/accounts/queries";
import { listCustomersWithPlan } from "@/lib/customers/queries";
import {
  INVITE_KINDS,
  INVITE_STATUSES,
  ZInviteListParams,
  listInvites,
} from "@/lib/invites/queries";
import { listInvitableRooms } from "@/lib/rooms/queries";
import { listServerNames } from "@/lib/servers/queries";
import { PAGE_SIZES } from "@/lib/tables/keyset";
import { Card, DownloadLink, EmptyState, PageHeader, formatDateTime } from "@/app/_components/ui";
import { KeysetList, listHref } from "@/app/_components/data-table";
import { ListFilters, serverSelect, statusSelect } from "@/app/_components/list-filters";
import { CustomerFirst } from "@/app/_components/customer-first";
import { CustomerScope } from "@/app/_components/list-scope";
import { InviteForm } from "@/app/_components/invites/invite-form";
import {
  InviteActionForms,
  InviteActions,
  InviteJoined,
  InviteStatusBadge,
  InviteSummary,
} from "@/app/_components/invites/invite-list";

export const metadata: Metadata = { title: "Invites" };

type Row = Awaited<ReturnType<typeof listInvites>>["rows"][number] & { server: string };
const col = createColumnHelper<Row>();
const columns = [
  col.accessor("createdAt", {
    header: "Invite",
    meta: { sortKey: "created" },
    cell: ({ row: { original: i } }) => <InviteSummary invite={i} />,
  }),
  col.accessor((i) => i.customer.name, {
    id: "customer",
    header: "Customer",
    cell: ({ row: { original: i } }) => (
      <Link className="hover:underline" href={`/console/customers/${i.customer.id}`}>
        {i.customer.name}
      </Link>
    ),
  }),
  col.accessor("server", { header: "Server" }),
  col.accessor("status", {
    header: "Status",
    cell: ({ getValue }) => <InviteStatusBadge status={getValue()} />,
  }),
  col.accessor((i) => `${i.uses} / ${i.maxUses}`, { id: "uses", header: "Uses" }),
  col.accessor("expiresAt", {
    header: "Expires",
    meta: { sortKey: "expires" },
    cell: ({ getValue }) => {
      const at = getValue();
      return <span className="whitespace-nowrap">{at ? formatDateTime(at) : "never"}</span>;
    },
  }),
  col.accessor("joined", {
    header: "Joined",
    cell: ({ getValue }) => (
      <div className="text-xs">
        <InviteJoined joined={getValue()} />
      </div>
    ),
  }),
];

export default async function InvitesPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await guardPage("accounts.read", "/console/invites");
  const params = ZInviteListParams.parse(await searchParams);
  const canWrite = can(user, "invites.write");
  const [list, servers, picker] = await Promise.all([
    listInvites(params),
    listServerNames(),
    canWrite ? listCustomersWithPlan("active", params.customer) : { customers: [], tooMany: false },
  ]);
  const customers = picker.customers;
  // Rooms and accounts to invite into: only once the customers are few enough to list.
  const scope = { customerId: params.customer };
  const [rooms, accounts] =
    canWrite && !picker.tooMany
      ? await Promise.all([listInvitableRooms(scope), listInvitableAccounts(scope)])
      : [[], []];
  const serverName = new Map(servers.map((s) => [s.id, s.name]));
  const rows = list.rows.map((i) => ({
    ...i,
    server: (i.serverId && serverName.get(i.serverId)) || "customer's default",
  }));
  const view = { ...params, dir: list.dir, size: params.size === 25 ? undefined : params.size };
  const href = (change: Record<string, string | number | undefined>) =>
    listHref("/console/invites", view, change);
  const filtered = Boolean(
    params.q ||
    params.status ||
    params.kind ||
    params.server ||
    params.customer ||
    params.from ||
    params.to,
  );
  return (
    <>
      <PageHeader
        title="Invites"
        description="Links that let people register an account on a customer's seats, join a room or become someone's contact."
        actions={
          <DownloadLink href={listHref("/console/export/invites", view, {})}>
            Export CSV
          </DownloadLink>
        }
      />
      {canWrite ? (
        <Card title="New invite" className="mb-6">
          {picker.tooMany ? (
            <CustomerFirst link="Invites" />
          ) : customers.length === 0 ? (
            <p className="text-sm text-slate-600">No active customer has a plan yet.</p>
          ) : (
            <InviteForm
              customers={customers.map((c) => ({ value: c.id, label: c.name }))}
              rooms={rooms.map((r) => ({
                value: r.id,
                label: `${r.name}@${r.domain} (${r.customer.name})`,
              }))}
              accounts={accounts.map((a) => ({
                value: a.id,
                label: `${a.localpart}@${a.domain} (${a.customer.name})`,
              }))}
            />
          )}
        </Card>
      ) : null}
      <ListFilters
        path="/console/invites"
        searchLabel="Search invites"
        searchPlaceholder="Note or username"
        params={params}
        hidden={{ sort: params.sort, dir: params.dir, size: view.size, customer: params.customer }}
        selects={[
          statusSelect(INVITE_STATUSES, params.status, (s) => s),
          {
            name: "kind",
            label: "Kind",
            any: "Any kind",
            value: params.kind,
            options: INVITE_KINDS.map((k) => ({ value: k, label: k.toLowerCase() })),
          },
          serverSelect(servers, params.server),
        ]}
      />
      {params.customer ? (
        <CustomerScope
          what="invites"
          name={list.rows[0]?.customer.name ?? params.customer}
          clearHref={href({ customer: undefined })}
        />
      ) : null}
      {rows.length === 0 ? (
        <EmptyState title={filtered ? "No invites match" : "No invites yet"}>
          {filtered ? (
            <>
              Try part of the note, “contains” instead of “starts with”, or fewer filters.{" "}
              <Link className="text-indigo-700 underline" href="/console/invites">
                Clear filters
              </Link>
            </>
          ) : (
            "Create one above and send the link; it shows who joined through it."
          )}
        </EmptyState>
      ) : (
        <>
          {canWrite ? <InviteActionForms /> : null}
          <KeysetList
            caption="Invites"
            noun={["invite", "invites"]}
            columns={
              canWrite
                ? [
                    ...columns,
                    col.display({
                      id: "actions",
                      header: () => <span className="sr-only">Actions</span>,
                      cell: ({ row: { original: i } }) => <InviteActions invite={i} />,
                    }),
                  ]
                : columns
            }
            list={{ ...list, rows }}
            size={params.size}
            sizes={PAGE_SIZES}
            href={href}
            rowTestId="invite-row"
          />
        </>
      )}
    </>
  );
}
