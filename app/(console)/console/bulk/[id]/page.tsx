import type { Metadata } from "next";
import Link from "@/app/_components/link";
import { notFound } from "next/navigation";
import { guardPage } from "@/lib/auth/page-guard";
import { getBulkProgress, listBulkProblems } from "@/lib/bulk/queries";
import { ActionForm } from "@/app/_components/form";
import { Badge, Card, PageHeader, Table, Td, formatDateTime } from "@/app/_components/ui";
import { BulkProgress } from "@/app/_components/bulk/bulk-progress";
import { cancelBulkAction, retryBulkAction } from "../actions";

export const metadata: Metadata = { title: "Bulk operation" };

const TARGET_PATH = { accounts: "/console/accounts", customers: "/console/customers" } as const;

export default async function BulkOperationPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await guardPage("console.view", `/console/bulk/${id}`);
  const op = await getBulkProgress(id, user);
  if (!op) notFound();
  const problems = op.settled ? await listBulkProblems(op.id) : [];
  const running = op.status === "PENDING" || op.status === "RUNNING";
  const base = TARGET_PATH[op.target as keyof typeof TARGET_PATH] as string | undefined;
  const importBatch = (op.selection as { importBatch?: string }).importBatch;
  return (
    <>
      <PageHeader
        title={`${op.label}: ${op.total.toLocaleString("en")} ${op.target}`}
        description={`Started ${formatDateTime(op.createdAt)}${
          op.finishedAt ? `, ended ${formatDateTime(op.finishedAt)}` : ""
        }.`}
        actions={
          <Link className="py-2 text-sm text-indigo-700 hover:underline" href="/console/bulk">
            All bulk operations
          </Link>
        }
      />
      <Card>
        <BulkProgress id={op.id} initial={JSON.parse(JSON.stringify(op))} />
        <div className="mt-4 flex gap-3">
          {running ? (
            <ActionForm
              action={cancelBulkAction}
              submit="Cancel the rest"
              variant="secondary"
              hidden={{ operationId: op.id }}
              className="flex items-center gap-3"
            />
          ) : null}
          {op.settled && op.failed + op.cancelled > 0 ? (
            <ActionForm
              action={retryBulkAction}
              submit={`Retry the ${(op.failed + op.cancelled).toLocaleString("en")} that did not go through`}
              hidden={{ operationId: op.id }}
              className="flex items-center gap-3"
            />
          ) : null}
        </div>
        {importBatch ? (
          <p className="mt-3 text-sm text-slate-600">
            From a CSV upload:{" "}
            <Link className="text-indigo-700 underline" href={`/console/import/${importBatch}`}>
              the import report
            </Link>
            .
          </p>
        ) : null}
        {op.retryOfId ? (
          <p className="mt-3 text-sm text-slate-600">
            A retry of{" "}
            <Link className="text-indigo-700 underline" href={`/console/bulk/${op.retryOfId}`}>
              an earlier operation
            </Link>
            .
          </p>
        ) : null}
      </Card>
      {problems.length > 0 ? (
        <Card title="What did not go through" className="mt-6">
          <Table head={["Row", "", "Why"]} caption="Rows that failed or were cancelled">
            {problems.map((p) => (
              <tr key={p.id} data-testid="bulk-problem">
                <Td>
                  {base ? (
                    <Link
                      className="text-indigo-700 hover:underline"
                      href={`${base}/${p.subjectId}`}
                    >
                      {p.label || p.subjectId}
                    </Link>
                  ) : (
                    p.label || p.subjectId
                  )}
                </Td>
                <Td>
                  <Badge color={p.status === "FAILED" ? "red" : "slate"}>
                    {p.status.toLowerCase()}
                  </Badge>
                </Td>
                <Td className="text-sm text-slate-700">{p.error ?? "Not started"}</Td>
              </tr>
            ))}
          </Table>
          {problems.length === 100 ? (
            <p className="mt-2 text-xs text-slate-500">The first 100 are shown.</p>
          ) : null}
        </Card>
      ) : null}
    </>
  );
}
