import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { guardPage } from "@/lib/auth/page-guard";
import { prisma } from "@/core/db";
import { listInvites } from "@/lib/invites/list-invites";
import { Card, PageHeader } from "@/app/_components/ui";
import { InviteForm } from "@/app/_components/invites/invite-form";
import { InviteList } from "@/app/_components/invites/invite-list";

export const metadata: Metadata = { title: "Invites" };

export default async function PortalInvitesPage() {
  const user = await guardPage("portal.view", "/portal/invites");
  if (!user.customerId) notFound();
  const customerId = user.customerId;
  const [invites, rooms, accounts] = await Promise.all([
    listInvites({ customerId }),
    prisma.room.findMany({ where: { customerId, status: "ACTIVE" }, orderBy: { name: "asc" }, select: { id: true, name: true, domain: true } }),
    prisma.xmppAccount.findMany({ where: { customerId, status: { in: ["ACTIVE", "SUSPENDED"] } }, orderBy: { localpart: "asc" }, select: { id: true, localpart: true, domain: true } }),
  ]);
  return (
    <>
      <PageHeader title="Invites" description="Send a link to let someone create their own chat address on your plan, join one of your rooms or become a contact." />
      <Card title="New invite" className="mb-6">
        <InviteForm customerId={customerId}
          rooms={rooms.map((r) => ({ value: r.id, label: `${r.name}@${r.domain}` }))}
          accounts={accounts.map((a) => ({ value: a.id, label: `${a.localpart}@${a.domain}` }))} />
      </Card>
      <InviteList invites={invites} showCustomer={false} />
    </>
  );
}
