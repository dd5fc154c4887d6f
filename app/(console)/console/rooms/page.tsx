import type { Metadata } from "next";
import Link from "next/link";
import { guardPage } from "@/lib/auth/page-guard";
import { can } from "@/lib/auth/policy";
import { listCustomersWithPlan } from "@/lib/customers/queries";
import { listRooms } from "@/lib/rooms/queries";
import { listRoomServers } from "@/lib/servers/queries";
import { ActionForm, Field } from "@/app/_components/form";
import {
  Badge,
  Banner,
  Card,
  EmptyState,
  PageHeader,
  Table,
  Td,
  formatDateTime,
} from "@/app/_components/ui";
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

export default async function RoomsPage({
  searchParams,
}: {
  searchParams: Promise<{ destroyed?: string }>;
}) {
  const user = await guardPage("accounts.read", "/console/rooms");
  const [rooms, customers, servers] = await Promise.all([
    listRooms(),
    can(user, "accounts.write") ? listCustomersWithPlan("open") : [],
    listRoomServers(),
  ]);
  return (
    <>
      <PageHeader
        title="Rooms"
        description="Group chats (multi-user chat rooms) that belong to customers, with their members and roles."
      />
      {(await searchParams).destroyed ? (
        <Banner color="green">The room is being destroyed on the server, with its history.</Banner>
      ) : null}
      {rooms.length === 0 ? (
        <EmptyState title="No rooms yet">
          {servers.length === 0
            ? "Add a server with a group chat (MUC) service first."
            : "Create one below within a customer's plan."}
        </EmptyState>
      ) : (
        <Table head={["Room", "Title", "Customer", "Members", "Status", "Created"]} caption="Rooms">
          {rooms.map((r) => (
            <tr key={r.id}>
              <Td>
                <Link
                  className="font-mono text-indigo-700 hover:underline"
                  href={`/console/rooms/${r.id}`}
                >
                  {r.name}@{r.domain}
                </Link>
              </Td>
              <Td>{r.title || "—"}</Td>
              <Td>
                <Link className="hover:underline" href={`/console/customers/${r.customer.id}`}>
                  {r.customer.name}
                </Link>
              </Td>
              <Td>{r._count.affiliations}</Td>
              <Td>
                <Badge color={COLORS[r.status]}>
                  {r.status === "PENDING" ? "being created" : r.status.toLowerCase()}
                </Badge>
              </Td>
              <Td>{formatDateTime(r.createdAt)}</Td>
            </tr>
          ))}
        </Table>
      )}
      {can(user, "accounts.write") && servers.length > 0 && customers.length > 0 ? (
        <Card title="Create a room" className="mt-6">
          <ActionForm action={createRoomAction} submit="Create room">
            <div className="grid gap-4 sm:grid-cols-3">
              <Field
                label="Customer"
                name="customerId"
                options={customers.map((c) => ({ value: c.id, label: c.name }))}
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
