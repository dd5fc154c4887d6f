import type { Metadata } from "next";
import Link from "@/app/_components/link";
import { notFound } from "next/navigation";
import { AppError } from "@/core/errors";
import { guardPage } from "@/lib/auth/page-guard";
import { getImportBatch } from "@/lib/imports/batches";
import { IMPORTS } from "@/lib/imports/registry";
import { ActionForm } from "@/app/_components/form";
import {
  Banner,
  ButtonLink,
  Card,
  PageHeader,
  Table,
  Td,
  formatDateTime,
} from "@/app/_components/ui";
import { IMPORT_ACTIONS } from "../import-actions";

export const metadata: Metadata = { title: "Import report" };

// Enough rows of a report to act on; the count says how many more there are.
const SHOWN = 500;

const plural = (n: number, [one, many]: [string, string]) =>
  `${n.toLocaleString("en")} ${n === 1 ? one : many}`;

export default async function ImportReportPage({
  params,
}: {
  params: Promise<{ batchId: string }>;
}) {
  const { batchId } = await params;
  const user = await guardPage("console.view", `/console/import/${batchId}`);
  const batch = await getImportBatch(batchId, user).catch((error: unknown) => {
    if (error instanceof AppError && ["not_found", "forbidden"].includes(error.code)) notFound();
    throw error;
  });
  const spec = IMPORTS[batch.kind];
  const actions = IMPORT_ACTIONS[batch.kind];
  const fresh = batch.valid - batch.present;
  const rowWord: [string, string] = ["row", "rows"];
  return (
    <>
      <PageHeader
        title={`Import of ${spec.noun[1]}`}
        description={`${batch.fileName}: ${plural(batch.totalRows, rowWord)} read, ${plural(batch.valid, rowWord)} valid${batch.present ? ` (${batch.present} already present)` : ""}, ${plural(batch.errors.length, ["problem", "problems"])}.`}
      />
      {batch.result ? (
        <Card title="Result" className="mb-6">
          <p role="status" data-testid="import-result" className="text-sm">
            {plural(batch.result.created, spec.noun)} created,{" "}
            {batch.result.alreadyPresent.toLocaleString("en")} already present,{" "}
            {batch.result.failed.length.toLocaleString("en")} failed
            {batch.appliedAt ? ` (${formatDateTime(batch.appliedAt)})` : ""}.
          </p>
          {batch.result.failed.length ? (
            <div className="mt-4">
              <Table head={["Row", "Why it failed"]} caption="Rows that failed">
                {batch.result.failed.map((f) => (
                  <tr key={f.row}>
                    <Td>{f.row}</Td>
                    <Td>{f.error}</Td>
                  </tr>
                ))}
              </Table>
            </div>
          ) : null}
          <div className="mt-4 flex items-center gap-4">
            <ButtonLink href={`/console/${batch.kind}`}>Go to {spec.noun[1]}</ButtonLink>
            {batch.bulkOperationId ? (
              <Link
                className="text-sm text-indigo-700 underline"
                href={`/console/bulk/${batch.bulkOperationId}`}
              >
                The import&rsquo;s operation (retry failed rows there)
              </Link>
            ) : null}
          </div>
        </Card>
      ) : batch.bulkOperationId ? (
        <Card title="Importing" className="mb-6">
          <p className="text-sm text-slate-700">
            The rows are being imported.{" "}
            <Link
              className="text-indigo-700 underline"
              href={`/console/bulk/${batch.bulkOperationId}`}
            >
              Follow its progress
            </Link>
            ; this page shows the result when it ends.
          </p>
        </Card>
      ) : (
        <Card title="What now" className="mb-6">
          {batch.valid === 0 ? (
            <Banner color="amber">No row can be imported. Fix the file and upload it again.</Banner>
          ) : (
            <p className="mb-4 text-sm text-slate-700">
              Import creates {plural(fresh, spec.noun)}
              {batch.present ? `; ${batch.present} already exist exactly as in the file` : ""}.
              {batch.errors.length
                ? ` The ${plural(batch.errors.length, rowWord)} listed below will be left out; or import nothing, fix them and upload again.`
                : ""}
            </p>
          )}
          <div className="flex flex-wrap items-start gap-3">
            {batch.valid > 0 ? (
              <ActionForm
                action={actions.apply}
                hidden={{ batchId: batch.id }}
                submit={`Import the ${plural(batch.valid, ["valid row", "valid rows"])}`}
              />
            ) : null}
            <ActionForm
              action={actions.discard}
              hidden={{ batchId: batch.id }}
              variant="secondary"
              submit="Import nothing"
            />
            <Link
              className="self-center text-sm text-indigo-700 underline"
              href={`/console/import?kind=${batch.kind}`}
            >
              Upload another file
            </Link>
          </div>
        </Card>
      )}
      {batch.errors.length ? (
        <Card title="Problems">
          <Table head={["Row", "Column", "Problem"]} caption="Rows with problems">
            {batch.errors.slice(0, SHOWN).map((e, i) => (
              <tr key={`${e.row}-${i}`} data-testid="import-error">
                <Td>{e.row}</Td>
                <Td>{e.column ? <code>{e.column}</code> : "—"}</Td>
                <Td>{e.message}</Td>
              </tr>
            ))}
          </Table>
          {batch.errors.length > SHOWN ? (
            <p className="mt-2 text-sm text-slate-600">
              And {(batch.errors.length - SHOWN).toLocaleString("en")} more; fix these and upload
              again to see the rest.
            </p>
          ) : null}
          <p className="mt-2 text-xs text-slate-500">Row numbers count the header as row 1.</p>
        </Card>
      ) : null}
    </>
  );
}
