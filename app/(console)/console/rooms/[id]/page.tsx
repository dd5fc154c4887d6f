import type { Metadata } from "next";
import Link from "@/app/_components/link";
import { notFound } from "next/navigation";
import { guardPage } from "@/lib/auth/page-guard";
import { can } from "@/lib/auth/policy";
import { listSubjectJobs } from "@/lib/jobs/queries";
import { getRoomDetail } from "@/lib/rooms/queries";
import { ActionForm, Field } from "@/app/_components/form";
import { Badge, Banner, Card, PageHeader } from "@/app/_components/ui";
import { JobList } from "@/app/(console)/console/jobs/job-list";
import { RoomSettingsFields } from "../room-settings-fields";
import { destroyRoomAction, setRoomAffiliationAction, updateRoomAction } from "../actions";

export const metadata: Metadata = { title: "Room" };

const AFFILIATIONS = ["owner", "admin", "member", "outcast"].map((a) => ({ value: a, label: a }));

export default async function RoomPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ created?: string }>;
}) {
  const { id } = await params;
  const user = await guardPage("accounts.read", `/console/rooms/${id}`);
  const room = await getRoomDetail(id);
  if (!room) notFound();
  const jobs = await listSubjectJobs(room.id);
  const config = room.config;
  const canWrite = can(user, "accounts.write");
  return (
    <>
      <PageHeader
        title={`${room.name}@${room.domain}`}
        description={`${room.customer.name} · on ${room.server.name}`}
        actions={
          <Badge color={room.status === "ACTIVE" ? "green" : "indigo"}>
            {room.status.toLowerCase()}
          </Badge>
        }
      />
      {(await searchParams).created ? (
        <Banner color="green">The room is being created on the server with its members.</Banner>
      ) : null}
      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Settings">
          {canWrite ? (
            <ActionForm
              action={updateRoomAction}
              submit="Save settings"
              hidden={{ roomId: room.id }}
            >
              <RoomSettingsFields settings={config} />
            </ActionForm>
          ) : (
            <p className="text-sm">
              {config.membersOnly ? "Members only" : "Open"} ·{" "}
              {config.public ? "listed" : "not listed"} ·{" "}
              {config.archiving ? "history kept" : "no history"} · up to {config.maxUsers} people
            </p>
          )}
        </Card>
        <Card title="Members and roles">
          {room.affiliations.length === 0 ? (
            <p className="mb-3 text-sm text-slate-600">Nobody is listed yet.</p>
          ) : (
            <ul className="mb-4 divide-y divide-slate-100 text-sm" data-testid="room-members">
              {room.affiliations.map((a) => (
                <li key={a.id} className="flex items-center justify-between gap-2 py-1.5">
                  <span className="font-mono">{a.jid}</span>
                  <span className="flex items-center gap-2">
                    <Badge
                      color={
                        a.affiliation === "owner"
                          ? "indigo"
                          : a.affiliation === "outcast"
                            ? "red"
                            : "slate"
                      }
                    >
                      {a.affiliation}
                    </Badge>
                    {canWrite ? (
                      <ActionForm
                        action={setRoomAffiliationAction}
                        submit="Remove"
                        variant="secondary"
                        hidden={{ roomId: room.id, jid: a.jid, affiliation: "none" }}
                        className="flex"
                      />
                    ) : null}
                  </span>
                </li>
              ))}
            </ul>
          )}
          {canWrite ? (
            <ActionForm
              action={setRoomAffiliationAction}
              submit="Set role"
              hidden={{ roomId: room.id }}
            >
              <div className="grid gap-4 sm:grid-cols-2">
                <Field label="Address" name="jid" required placeholder="name@example.org" />
                <Field
                  label="Role"
                  name="affiliation"
                  defaultValue="member"
                  options={AFFILIATIONS}
                />
              </div>
            </ActionForm>
          ) : null}
        </Card>
        {canWrite ? (
          <Card title="Destroy">
            <p className="mb-3 text-sm text-slate-600">
              Removes the room and its history from the server. Members are told it was closed.
            </p>
            <ActionForm
              action={destroyRoomAction}
              submit="Destroy room"
              variant="danger"
              hidden={{ roomId: room.id }}
              confirm={`Destroy ${room.name}@${room.domain} and its history?`}
            />
          </Card>
        ) : null}
      </div>
      <h2 className="mb-2 mt-8 text-base font-semibold">Provisioning history</h2>
      <JobList jobs={jobs} canManage={can(user, "jobs.manage")} />
      <p className="mt-4 text-sm">
        <Link className="text-indigo-700 hover:underline" href="/console/rooms">
          ← All rooms
        </Link>
      </p>
    </>
  );
}
