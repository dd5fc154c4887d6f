import type { Metadata } from "next";
import Link from "@/app/_components/link";
import { guardPage } from "@/lib/auth/page-guard";
import { can } from "@/lib/auth/policy";
import { readInstallFacts } from "@/lib/provider-file/facts";
import { listProviderFiles, wellKnownUrl } from "@/lib/provider-file/queries";
import { Badge, Card, EmptyState, PageHeader, Table, Td } from "@/app/_components/ui";
import { FactsForm } from "./facts-form";
import { saveProviderFactsAction } from "./actions";

export const metadata: Metadata = { title: "Provider file" };

export default async function ProviderFilePage() {
  const user = await guardPage("servers.read", "/console/provider-file");
  const [install, files] = await Promise.all([readInstallFacts(), listProviderFiles()]);
  return (
    <>
      <PageHeader
        title="Provider file"
        description="What the XMPP Providers project lists about each of your domains, published at /.well-known/xmpp-provider-v2.json. Retention and upload expiry come from each server's privacy policy; the facts below are the ones Parley cannot know."
      />
      <div className="space-y-6">
        {files.length === 0 ? (
          <EmptyState title="No servers yet">Add a server to publish its provider file.</EmptyState>
        ) : (
          <Table head={["Server", "Published at", "File"]} caption="Provider file of each server">
            {files.map((f) => (
              <tr key={f.server.id}>
                <Td>
                  <Link
                    className="text-indigo-700 hover:underline"
                    href={`/console/servers/${f.server.id}/provider-file`}
                  >
                    {f.server.name}
                  </Link>
                </Td>
                <Td className="font-mono text-xs">
                  {f.server.enabled
                    ? wellKnownUrl(f.server.domain)
                    : "not published (server disabled)"}
                </Td>
                <Td>
                  {f.schema.valid ? (
                    <Badge color="green">valid</Badge>
                  ) : (
                    <Badge color="red">fails the schema</Badge>
                  )}
                </Td>
              </tr>
            ))}
          </Table>
        )}
        {can(user, "servers.write") ? (
          <Card title="Facts for every domain">
            <p className="mb-4 text-sm text-slate-600">
              A server&apos;s own page can change any of them for its domain alone.
            </p>
            <FactsForm action={saveProviderFactsAction} values={install} />
          </Card>
        ) : null}
      </div>
    </>
  );
}
