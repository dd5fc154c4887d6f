import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { guardPage } from "@/lib/auth/page-guard";
import { getPortalInvites } from "@/lib/portal/queries";
import { Card, PageHeader } from "@/app/_components/ui";
import { InviteForm } from "@/app/_components/invites/invite-form";
import { InviteList } from "@/app/_components/invites/invite-list";

export const metadata: Metadata = { title: "Invites" };

export default async function PortalInvitesPage() {
  const user = await guardPage("portal.view", "/portal/invites");
  if (!user.customerId) notFound();
  const customerId = user.customerId;
  const { invites, rooms, accounts } = await getPortalInvites(user);
  return (
    <>
      <PageHeader
        title="Invites"
        description="Send a link to let someone create their own chat address on your plan, join one of your rooms or become a contact."
      />
      <Card title="New invite" className="mb-6">
        <InviteForm
          customerId={customerId}
          rooms={rooms.map((r) => ({ value: r.id, label: `${r.name}@${r.domain}` }))}
          accounts={accounts.map((a) => ({ value: a.id, label: `${a.localpart}@${a.domain}` }))}
        />
      </Card>
      <InviteList invites={invites} showCustomer={false} />
    </>
  );
}
