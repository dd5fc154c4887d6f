import type { Metadata } from "next";
import { guardPage } from "@/lib/auth/page-guard";
import { prisma } from "@/lib/db";
import { EmptyState, PageHeader, Table, Td, formatDateTime } from "@/app/_components/ui";

export const metadata: Metadata = { title: "Invites" };

export default async function InvitesPage() {
  await guardPage("accounts.read", "/console/invites");
  const invites = await prisma.invite.findMany({
    orderBy: { createdAt: "desc" }, take: 100,
    select: { id: true, kind: true, uses: true, maxUses: true, expiresAt: true, revokedAt: true, createdAt: true, customer: { select: { name: true } } },
  });
  return (
    <>
      <PageHeader title="Invites" description="Links that let people register an XMPP account on a customer's seats, join a room or add a contact." />
      {invites.length === 0 ? (
        <EmptyState title="No invites yet">Invites you or your customers create appear here, with who joined through them.</EmptyState>
      ) : (
        <Table head={["Kind", "Customer", "Uses", "Expires", "Created"]} caption="Invites">
          {invites.map((i) => (
            <tr key={i.id}>
              <Td>{i.kind.toLowerCase().replace("_", " ")}{i.revokedAt ? " (revoked)" : ""}</Td>
              <Td>{i.customer.name}</Td>
              <Td>{i.uses} / {i.maxUses}</Td>
              <Td>{i.expiresAt ? formatDateTime(i.expiresAt) : "never"}</Td>
              <Td>{formatDateTime(i.createdAt)}</Td>
            </tr>
          ))}
        </Table>
      )}
    </>
  );
}
