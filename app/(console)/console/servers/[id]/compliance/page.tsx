import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { guardPage } from "@/lib/auth/page-guard";
import { can } from "@/lib/auth/policy";
import { latestCheckId, reportView } from "@/lib/compliance/queries";
import { getServerSummary } from "@/lib/servers/queries";
import { ActionForm } from "@/app/_components/form";
import { EmptyState } from "@/app/_components/ui";
import { ComplianceReport } from "@/app/_components/compliance-report";
import { PrintButton } from "@/app/_components/print-button";
import { shareReportAction } from "./actions";

export const metadata: Metadata = { title: "Compliance report" };

export default async function CompliancePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await guardPage("policies.read", `/console/servers/${id}/compliance`);
  const server = await getServerSummary(id);
  if (!server) notFound();
  const checkId = await latestCheckId(server.id);
  const report = checkId ? await reportView(checkId) : null;
  return (
    <div className="space-y-4">
      <p className="text-sm print:hidden">
        <Link className="text-indigo-700 hover:underline" href={`/console/servers/${server.id}`}>
          ← {server.name}
        </Link>
      </p>
      {report ? (
        <>
          <div className="flex flex-wrap gap-2 print:hidden">
            <PrintButton />
            {can(user, "policies.write") ? (
              <ActionForm
                action={shareReportAction}
                submit="Create a link for customers"
                variant="secondary"
                hidden={{ checkId: report.checkId }}
                className="space-y-2"
              />
            ) : null}
          </div>
          <ComplianceReport report={report} />
        </>
      ) : (
        <EmptyState title="Not checked yet">
          Assign a policy to this server and run a check from its page; the report appears here.
        </EmptyState>
      )}
    </div>
  );
}
