import type { Metadata } from "next";
import Link from "@/app/_components/link";
import { notFound } from "next/navigation";
import { guardPage } from "@/lib/auth/page-guard";
import { can } from "@/lib/auth/policy";
import { buildProviderFile } from "@/lib/provider-file/build-provider-file";
import { readInstallFacts, readServerFacts } from "@/lib/provider-file/facts";
import { wellKnownUrl } from "@/lib/provider-file/queries";
import type { Origin } from "@/lib/provider-file/compose";
import { Banner, Card, DownloadLink, PageHeader, Table, Td } from "@/app/_components/ui";
import { FactsForm } from "@/app/(console)/console/provider-file/facts-form";
import { saveServerProviderFactsAction } from "@/app/(console)/console/provider-file/actions";

export const metadata: Metadata = { title: "Provider file" };

const FROM: Record<Origin["from"], string> = {
  policy: "the server's privacy policy",
  server: "this server's facts",
  install: "the install's facts",
  parley: "Parley",
  unknown: "nothing known",
};

export default async function ServerProviderFilePage({
  params,
}: {
  params: Promise<{ id: string }>;
}) {
  const { id } = await params;
  const user = await guardPage("servers.read", `/console/servers/${id}/provider-file`);
  const built = await buildProviderFile(id);
  if (!built) notFound();
  const { server, document, origins, schema } = built;
  const canWrite = can(user, "servers.write");
  const [install, own] = canWrite
    ? await Promise.all([readInstallFacts(), readServerFacts(id)])
    : [null, null];
  return (
    <>
      <PageHeader
        title={`Provider file · ${server.domain}`}
        description="The XMPP Providers project reads this file to list the domain. It is built from the server's policy and the stated facts each time it is asked for, so it cannot fall behind them."
        actions={
          <DownloadLink href={`/console/servers/${id}/provider-file/download`}>
            Download xmpp-provider-v2.json
          </DownloadLink>
        }
      />
      {schema.valid ? (
        <Banner color="green" testId="provider-file-valid">
          Valid against the provider file schema (lib/provider-file, with its source named there).
        </Banner>
      ) : (
        <Banner color="red" testId="provider-file-invalid">
          Fails the schema, so it is not served: {schema.errors.join("; ")}
        </Banner>
      )}
      <div className="space-y-6">
        <Card title="Content">
          <p className="mb-3 text-sm text-slate-600">
            {server.enabled ? (
              <>
                Served at <code className="font-mono">{wellKnownUrl(server.domain)}</code> once that
                address reaches Parley (see docs/provider-file.md).
              </>
            ) : (
              "Not served: the server is disabled."
            )}
          </p>
          <pre
            className="overflow-x-auto rounded-md bg-slate-50 p-3 text-xs"
            data-testid="provider-file-json"
          >
            {JSON.stringify(document, null, 2)}
          </pre>
        </Card>
        <Table head={["Field", "From", "Note"]} caption="Where each value comes from">
          {Object.entries(origins).map(([field, origin]) => (
            <tr key={field}>
              <Td className="font-mono text-xs">{field}</Td>
              <Td>{FROM[origin.from]}</Td>
              <Td className="text-slate-600">{origin.note ?? ""}</Td>
            </tr>
          ))}
        </Table>
      </div>
      <Card title="Registration" className="mt-6">
        <p className="text-sm text-slate-600">
          The file has no registration field: the project asks the server itself (in-band
          registration, XEP-0077). Parley opens accounts through invite links and the console, not
          through in-band registration, so the project lists the domain without registration from
          apps unless the server itself offers it.
        </p>
      </Card>
      {canWrite && install && own ? (
        <Card title={`Facts for ${server.domain} only`} className="mt-6">
          <p className="mb-4 text-sm text-slate-600">
            Empty fields follow the{" "}
            <Link className="text-indigo-700 hover:underline" href="/console/provider-file">
              install&apos;s facts
            </Link>
            .
          </p>
          <FactsForm
            action={saveServerProviderFactsAction}
            values={own}
            install={install}
            serverId={id}
          />
        </Card>
      ) : null}
    </>
  );
}
