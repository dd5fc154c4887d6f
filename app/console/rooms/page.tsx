import type { Metadata } from "next";
import Link from "next/link";
import { guardPage } from "@/lib/auth/page-guard";
import { prisma } from "@/lib/db";
import { Badge, EmptyState, PageHeader, Table, Td, formatDateTime } from "@/app/_components/ui";

export const metadata: Metadata = { title: "Rooms" };

export default async function RoomsPage() {
  await guardPage("accounts.read", "/console/rooms");
  const rooms = await prisma.room.findMany({
    where: { status: { not: "DELETED" } }, orderBy: { createdAt: "desc" }, take: 100,
    select: { id: true, name: true, domain: true, title: true, status: true, createdAt: true, customer: { select: { id: true, name: true } } },
  });
  return (
    <>
      <PageHeader title="Rooms" description="Group chats (multi-user chat rooms) that belong to customers." />
      {rooms.length === 0 ? (
        <EmptyState title="No rooms yet">Rooms appear here when staff or a customer creates one within the customer&apos;s plan.</EmptyState>
      ) : (
        <Table head={["Room", "Title", "Customer", "Status", "Created"]} caption="Rooms">
          {rooms.map((r) => (
            <tr key={r.id}>
              <Td className="font-mono">{r.name}@{r.domain}</Td>
              <Td>{r.title || "—"}</Td>
              <Td><Link className="text-indigo-700 hover:underline" href={`/console/customers/${r.customer.id}`}>{r.customer.name}</Link></Td>
              <Td><Badge color={r.status === "ACTIVE" ? "green" : "slate"}>{r.status.toLowerCase()}</Badge></Td>
              <Td>{formatDateTime(r.createdAt)}</Td>
            </tr>
          ))}
        </Table>
      )}
    </>
  );
}
