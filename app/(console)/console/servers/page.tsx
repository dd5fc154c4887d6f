import type { Metadata } from "next";
import Link from "@/app/_components/link";
import { guardPage } from "@/lib/auth/page-guard";
import { can } from "@/lib/auth/policy";
import { listServers } from "@/lib/servers/queries";
import { readServerUsage } from "@/lib/servers/usage";
import { ServerStatus } from "./server-status";
import {
  Badge,
  ButtonLink,
  EmptyState,
  PageHeader,
  Table,
  Td,
  formatDateTime,
} from "@/app/_components/ui";
import { FigureAge } from "@/app/_components/figure-age";
import { serverKindLabel } from "@/lib/servers/kinds";

export const metadata: Metadata = { title: "Servers" };

export default async function ServersPage() {
  const user = await guardPage("servers.read", "/console/servers");
  const [servers, usage] = await Promise.all([listServers(), readServerUsage()]);
  const canWrite = can(user, "servers.write");
  return (
    <>
      <PageHeader
        title="Servers"
        description="The ejabberd and Prosody servers Parley provisions accounts and rooms on."
        actions={canWrite ? <ButtonLink href="/console/servers/new">Add server</ButtonLink> : null}
      />
      {servers.length === 0 ? (
        <EmptyState
          title="No servers connected"
          action={
            canWrite ? <ButtonLink href="/console/servers/new">Add a server</ButtonLink> : null
          }
        >
          Parley talks to ejabberd over its HTTP admin API and to Prosody over its admin shell,
          locally or over SSH. To try Parley quickly, run{" "}
          <code className="rounded bg-slate-100 px-1">npm run demo:server</code> to start a local
          ejabberd registered here.
        </EmptyState>
      ) : (
        <>
          <Table head={["Name", "Kind", "Domain", "Status", "Accounts", "Rooms"]} caption="Servers">
            {servers.map((s) => (
              <tr key={s.id}>
                <Td>
                  <Link
                    className="font-medium text-indigo-700 hover:underline"
                    href={`/console/servers/${s.id}`}
                  >
                    {s.name}
                  </Link>
                  {s.isDefault ? (
                    <>
                      {" "}
                      <Badge color="indigo">default</Badge>
                    </>
                  ) : null}
                  {s.enabled ? null : (
                    <>
                      {" "}
                      <Badge>disabled</Badge>
                    </>
                  )}
                </Td>
                <Td>
                  {serverKindLabel(s.kind)}
                  {s.transport === "SSH" ? " over SSH" : ""}
                </Td>
                <Td className="font-mono">{s.domain}</Td>
                <Td>
                  <ServerStatus status={s.status} />
                  <div className="text-xs text-slate-500">
                    checked {formatDateTime(s.lastCheckedAt)}
                  </div>
                </Td>
                <Td>{usage.value[s.id]?.accounts ?? 0}</Td>
                <Td>{usage.value[s.id]?.rooms ?? 0}</Td>
              </tr>
            ))}
          </Table>
          <FigureAge figure={usage} what="Accounts and rooms" />
        </>
      )}
    </>
  );
}
