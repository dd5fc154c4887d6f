import type { Metadata } from "next";
import Link from "@/app/_components/link";
import { createColumnHelper } from "@tanstack/react-table";
import { guardPage } from "@/lib/auth/page-guard";
import { can } from "@/lib/auth/policy";
import { listCustomersWithPlan } from "@/lib/customers/queries";
import { ROOM_LIST_STATUSES, ZRoomListParams, listRooms } from "@/lib/rooms/queries";
import { listRoomServers, listServerNames } from "@/lib/servers/queries";
import { PAGE_SIZES } from "@/lib/tables/keyset";
import { ActionForm, Field } from "@/app/_components/form";
import {
  Badge,
  Banner,
  Card,
  DownloadLink,
  EmptyState,
  PageHeader,
  formatDateTime,
} from "@/app/_components/ui";
import { KeysetList, listHref } from "@/app/_components/data-table";
import { ListFilters, serverSelect, statusSelect } from "@/app/_components/list-filters";
import { CustomerFirst } from "@/app/_components/customer-first";
import { CustomerScope } from "@/app/_components/list-scope";
import { RoomSettingsFields } from "./room-settings-fields";
import { createRoomAction } from "./actions";

export const metadata: Metadata = { title: "Rooms" };

const COLORS = {
  PENDING: "indigo",
  ACTIVE: "green",
  DELETING: "slate",
  DELETED: "slate",
  FAILED: "red",
} as const;
const statusLabel = (s: keyof typeof COLORS) =>
  s === "PENDING" ? "being created" : s.toLowerCase();

type Row = Awaited<ReturnType<typeof listRooms>>["rows"][number];
const col = createColumnHelper<Row>();
const columns = [
  col.accessor((r) => `${r.name}@${r.domain}`, {
    id: "address",
    header: "Room",
    meta: { sortKey: "address" },
    cell: ({ row: { original: r }, getValue }) => (
      <Link className="font-mono text-indigo-700 hover:underline" href={`/console/rooms/${r.id}`}>
        {getValue()}
      </Link>
    ),
  }),
  col.accessor("title", { header: "Title", cell: ({ getValue }) => getValue() || "—" }),
  col.accessor((r) => r.customer.name, {
    id: "customer",
    header: "Customer",
    cell: ({ row: { original: r } }) => (
      <Link className="hover:underline" href={`/console/customers/${r.customer.id}`}>
        {r.customer.name}
      </Link>
    ),
  }),
  col.accessor((r) => r.server.name, { id: "server", header: "Server" }),
  col.accessor("members", { header: "Members" }),
  col.accessor("status", {
    header: "Status",
    meta: { sortKey: "status" },
    cell: ({ getValue }) => <Badge color={COLORS[getValue()]}>{statusLabel(getValue())}</Badge>,
  }),
  col.accessor("createdAt", {
    header: "Created",
    meta: { sortKey: "created" },
    cell: ({ getValue }) => formatDateTime(getValue()),
  }),
];

export default async function RoomsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await guardPage("accounts.read", "/console/rooms");
  const sp = await searchParams;
  const params = ZRoomListParams.parse(sp);
  const [list, picker, servers, allServers] = await Promise.all([
    listRooms(params),
    can(user, "accounts.write")
      ? listCustomersWithPlan("open", params.customer)
      : { customers: [], tooMany: false },
    listRoomServers(),
    listServerNames(),
  ]);
  const view = { ...params, dir: list.dir, size: params.size === 25 ? undefined : params.size };
  const href = (change: Record<string, string | number | undefined>) =>
    listHref("/console/rooms", view, change);
  const filtered = Boolean(
    params.q || params.status || params.server || params.customer || params.from || params.to,
  );
  return (
    <>
      <PageHeader
        title="Rooms"
        description="Group chats (multi-user chat rooms) that belong to customers, with their members and roles."
        actions={
          <DownloadLink href={listHref("/console/export/rooms", view, {})}>Export CSV</DownloadLink>
        }
      />
      {sp.destroyed ? (
        <Banner color="green">The room is being destroyed on the server, with its history.</Banner>
      ) : null}
      <ListFilters
        path="/console/rooms"
        searchLabel="Search rooms"
        searchPlaceholder="Address, name or title"
        params={params}
        hidden={{ sort: params.sort, dir: params.dir, size: view.size, customer: params.customer }}
        selects={[
          statusSelect(ROOM_LIST_STATUSES, params.status, statusLabel),
          serverSelect(allServers, params.server),
        ]}
      />
      {params.customer ? (
        <CustomerScope
          what="rooms"
          name={list.rows[0]?.customer.name ?? params.customer}
          clearHref={href({ customer: undefined })}
        />
      ) : null}
      {list.rows.length === 0 ? (
        <EmptyState title={filtered ? "No rooms match" : "No rooms yet"}>
          {filtered ? (
            <>
              Try part of the name, “contains” instead of “starts with”, or fewer filters.{" "}
              <Link className="text-indigo-700 underline" href="/console/rooms">
                Clear filters
              </Link>
            </>
          ) : servers.length === 0 ? (
            "Add a server with a group chat (MUC) service first."
          ) : (
            "Create one below within a customer's plan."
          )}
        </EmptyState>
      ) : (
        <KeysetList
          caption="Rooms"
          noun={["room", "rooms"]}
          columns={columns}
          list={list}
          size={params.size}
          sizes={PAGE_SIZES}
          href={href}
        />
      )}
      {can(user, "accounts.write") && servers.length > 0 && picker.tooMany ? (
        <Card title="Create a room" className="mt-6">
          <CustomerFirst link="Rooms" />
        </Card>
      ) : null}
      {can(user, "accounts.write") &&
      servers.length > 0 &&
      picker.customers.length > 0 &&
      !picker.tooMany ? (
        <Card title="Create a room" className="mt-6">
          <ActionForm action={createRoomAction} submit="Create room">
            <div className="grid gap-4 sm:grid-cols-3">
              <Field
                label="Customer"
                name="customerId"
                options={picker.customers.map((c) => ({ value: c.id, label: c.name }))}
              />
              <Field
                label="Server"
                name="serverId"
                options={servers.map((s) => ({ value: s.id, label: `${s.name} (${s.mucDomain})` }))}
              />
              <Field
                label="Room name"
                name="name"
                required
                hint="Becomes the address, e.g. family@…"
                autoComplete="off"
              />
            </div>
            <RoomSettingsFields />
            <Field
              label="Members"
              name="members"
              type="textarea"
              hint="One address per line, optionally followed by owner, admin, member (default) or outcast."
            />
          </ActionForm>
        </Card>
      ) : null}
    </>
  );
}
