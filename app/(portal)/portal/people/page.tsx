import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { guardPage } from "@/lib/auth/page-guard";
import { listPortalPeople } from "@/lib/portal/queries";
import { ActionForm, Field } from "@/app/_components/form";
import { Card, PageHeader, formatDateTime } from "@/app/_components/ui";
import { invitePortalUserAction } from "@/app/(console)/console/customers/actions";

export const metadata: Metadata = { title: "People" };

// The portal users of this customer: who may manage its accounts, rooms and invites here.
export default async function PortalPeoplePage() {
  const user = await guardPage("portal.view", "/portal/people");
  if (!user.customerId) notFound();
  const users = await listPortalPeople(user);
  return (
    <>
      <PageHeader
        title="People who manage this service"
        description="They sign in here to manage accounts, rooms, invites and billing."
      />
      <ul className="mb-6 divide-y divide-slate-100 rounded-xl border border-slate-200 bg-white text-sm shadow-sm">
        {users.map((u) => (
          <li key={u.id} className="flex justify-between px-4 py-2">
            <span>
              {u.name} <span className="text-slate-500">{u.email}</span>
            </span>
            <span className="text-xs text-slate-500">
              {u.lastLoginAt ? `last sign-in ${formatDateTime(u.lastLoginAt)}` : "invited"}
            </span>
          </li>
        ))}
      </ul>
      <Card title="Add someone">
        <ActionForm
          action={invitePortalUserAction}
          submit="Send invitation"
          hidden={{ customerId: user.customerId }}
        >
          <div className="grid gap-4 sm:grid-cols-2">
            <Field label="Name" name="name" required />
            <Field label="Email" name="email" type="email" required />
          </div>
        </ActionForm>
      </Card>
    </>
  );
}
