import type { Metadata } from "next";
import { guardPage } from "@/lib/auth/page-guard";
import { prisma } from "@/lib/db";
import { EmptyState, PageHeader, Table, Td } from "@/app/_components/ui";

export const metadata: Metadata = { title: "Servers" };

export default async function ServersPage() {
  await guardPage("servers.read", "/console/servers");
  const servers = await prisma.server.findMany({
    orderBy: { name: "asc" },
    select: { id: true, name: true, kind: true, domain: true, transport: true, enabled: true, _count: { select: { accounts: true } } },
  });
  return (
    <>
      <PageHeader title="Servers" description="The ejabberd and Prosody servers Parley provisions accounts and rooms on." />
      {servers.length === 0 ? (
        <EmptyState title="No servers connected">
          Parley will connect to ejabberd over its HTTP admin API and to Prosody over its admin shell, locally or over SSH.
        </EmptyState>
      ) : (
        <Table head={["Name", "Kind", "Domain", "Access", "Accounts"]} caption="Servers">
          {servers.map((s) => (
            <tr key={s.id}>
              <Td>{s.name}{s.enabled ? "" : " (disabled)"}</Td>
              <Td>{s.kind === "EJABBERD" ? "ejabberd" : "Prosody"}</Td>
              <Td className="font-mono">{s.domain}</Td>
              <Td>{s.transport === "SSH" ? "SSH" : "local"}</Td>
              <Td>{s._count.accounts}</Td>
            </tr>
          ))}
        </Table>
      )}
    </>
  );
}
