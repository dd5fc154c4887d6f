import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { guardPage } from "@/lib/auth/page-guard";
import { getPortalRooms } from "@/lib/portal/queries";
import { ActionForm, Field } from "@/app/_components/form";
import { Badge, Card, EmptyState, PageHeader } from "@/app/_components/ui";
import { UsageBar } from "@/app/_components/usage-bar";
import { RoomSettingsFields } from "@/app/(console)/console/rooms/room-settings-fields";
import {
  createRoomAction,
  destroyRoomAction,
  setRoomAffiliationAction,
} from "@/app/(console)/console/rooms/actions";

export const metadata: Metadata = { title: "Rooms" };

const ROLES = ["owner", "admin", "member", "outcast"].map((a) => ({ value: a, label: a }));

export default async function PortalRoomsPage() {
  const user = await guardPage("portal.view", "/portal/rooms");
  if (!user.customerId) notFound();
  const customerId = user.customerId;
  const { allowed, rooms } = await getPortalRooms(user);
  return (
    <>
      <PageHeader
        title="Rooms"
        description="Group chats for your people, with who may join and who runs them."
      />
      <div className="mb-6 max-w-sm">
        <UsageBar label="Rooms used" used={rooms.length} limit={allowed} />
      </div>
      {rooms.length === 0 ? (
        <EmptyState title="No rooms yet">Create a group chat below.</EmptyState>
      ) : (
        <ul className="space-y-3">
          {rooms.map((r) => (
            <li key={r.id} className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
              <div className="flex flex-wrap items-center gap-2">
                <span className="font-mono">
                  {r.name}@{r.domain}
                </span>
                {r.title ? <span className="text-sm text-slate-600">{r.title}</span> : null}
                <Badge color={r.status === "ACTIVE" ? "green" : "indigo"}>
                  {r.status.toLowerCase()}
                </Badge>
              </div>
              <ul className="mt-2 flex flex-wrap gap-2 text-xs">
                {r.affiliations.map((a) => (
                  <li key={a.id}>
                    <Badge>
                      {a.jid} · {a.affiliation}
                    </Badge>
                  </li>
                ))}
              </ul>
              <div className="mt-3 grid gap-3 sm:grid-cols-2">
                <ActionForm
                  action={setRoomAffiliationAction}
                  submit="Set role"
                  variant="secondary"
                  hidden={{ roomId: r.id }}
                  idPrefix={`aff-${r.id}-`}
                >
                  <div className="grid grid-cols-2 gap-2">
                    <Field label="Address" name="jid" required />
                    <Field
                      label="Role"
                      name="affiliation"
                      defaultValue="member"
                      options={[...ROLES, { value: "none", label: "remove" }]}
                    />
                  </div>
                </ActionForm>
                <ActionForm
                  action={destroyRoomAction}
                  submit="Destroy room"
                  variant="danger"
                  hidden={{ roomId: r.id }}
                  confirm={`Destroy ${r.name}@${r.domain} and its history?`}
                />
              </div>
            </li>
          ))}
        </ul>
      )}
      {rooms.length < allowed ? (
        <Card title="Create a room" className="mt-6">
          <ActionForm
            action={createRoomAction}
            submit="Create room"
            hidden={{ customerId }}
            idPrefix="new-room-"
          >
            <Field label="Room name" name="name" required autoComplete="off" />
            <RoomSettingsFields />
            <Field
              label="Members"
              name="members"
              type="textarea"
              hint="One address per line, optionally followed by owner, admin, member or outcast."
            />
          </ActionForm>
        </Card>
      ) : null}
    </>
  );
}
