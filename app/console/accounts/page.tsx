import type { Metadata } from "next";
import Link from "next/link";
import { guardPage } from "@/lib/auth/page-guard";
import { prisma } from "@/lib/db";
import { Badge, EmptyState, PageHeader, Table, Td, formatDateTime } from "@/app/_components/ui";

export const metadata: Metadata = { title: "Accounts" };

export default async function AccountsPage() {
  await guardPage("accounts.read", "/console/accounts");
  const accounts = await prisma.xmppAccount.findMany({
    where: { deletedAt: null }, orderBy: { createdAt: "desc" }, take: 100,
    select: { id: true, localpart: true, domain: true, status: true, createdAt: true, customer: { select: { id: true, name: true } } },
  });
  return (
    <>
      <PageHeader title="XMPP accounts" description="Addresses on your backing servers, each belonging to a customer." />
      {accounts.length === 0 ? (
        <EmptyState title="No XMPP accounts yet">
          Accounts appear here once a customer has seats and someone registers through an invite, or staff create one.
          Start by <Link className="text-indigo-700 underline" href="/console/servers">connecting a server</Link> and adding a customer.
        </EmptyState>
      ) : (
        <Table head={["Address", "Customer", "Status", "Created"]} caption="XMPP accounts">
          {accounts.map((a) => (
            <tr key={a.id}>
              <Td className="font-mono">{a.localpart}@{a.domain}</Td>
              <Td><Link className="text-indigo-700 hover:underline" href={`/console/customers/${a.customer.id}`}>{a.customer.name}</Link></Td>
              <Td><Badge color={a.status === "ACTIVE" ? "green" : a.status === "SUSPENDED" ? "amber" : "slate"}>{a.status.toLowerCase()}</Badge></Td>
              <Td>{formatDateTime(a.createdAt)}</Td>
            </tr>
          ))}
        </Table>
      )}
    </>
  );
}
