import type { Metadata } from "next";
import Link from "@/app/_components/link";
import { notFound } from "next/navigation";
import { guardPage } from "@/lib/auth/page-guard";
import { can } from "@/lib/auth/policy";
import { latestCheckId, listActiveShareLinks, reportView } from "@/lib/compliance/queries";
import { SHARE_LINK_DEFAULT_DAYS, SHARE_LINK_MAX_DAYS } from "@/lib/compliance/reports";
import { liveReport } from "@/lib/evaluation/queries";
import { getServerSummary } from "@/lib/servers/queries";
import { ActionForm, Field } from "@/app/_components/form";
import { Card, EmptyState, formatDateTime } from "@/app/_components/ui";
import { ComplianceReport } from "@/app/_components/compliance-report";
import { LiveEvaluation } from "@/app/_components/live-evaluation";
import { PrintButton } from "@/app/_components/print-button";
import { evaluateNowAction, revokeShareLinkAction, shareReportAction } from "./actions";

export const metadata: Metadata = { title: "Compliance report" };

export default async function CompliancePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await guardPage("policies.read", `/console/servers/${id}/compliance`);
  const server = await getServerSummary(id);
  if (!server) notFound();
  const checkId = await latestCheckId(server.id);
  const report = checkId ? await reportView(checkId) : null;
  const canShare = can(user, "policies.write");
  const links = canShare ? await listActiveShareLinks(server.id) : [];
  const live = await liveReport(server.id);
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
            {canShare ? (
              <ActionForm
                action={shareReportAction}
                submit="Create a link for customers"
                variant="secondary"
                hidden={{ checkId: report.checkId }}
                className="space-y-2"
              >
                <Field
                  label="Link works for (days)"
                  name="days"
                  type="number"
                  min={1}
                  max={SHARE_LINK_MAX_DAYS}
                  defaultValue={SHARE_LINK_DEFAULT_DAYS}
                  required
                />
              </ActionForm>
            ) : null}
          </div>
          {canShare && links.length ? (
            <Card title="Links shared with customers">
              <ul className="space-y-2 text-sm print:hidden" data-testid="share-links">
                {links.map((l) => (
                  <li key={l.id} className="flex flex-wrap items-center gap-3">
                    <span>
                      Report of {formatDateTime(l.check.finishedAt)} · shared{" "}
                      {formatDateTime(l.createdAt)} · works until {formatDateTime(l.expiresAt)}
                    </span>
                    <ActionForm
                      action={revokeShareLinkAction}
                      submit="Withdraw"
                      variant="danger"
                      hidden={{ linkId: l.id }}
                      confirm="Withdraw this link? Anyone holding it can no longer read the report."
                      className="inline"
                    />
                  </li>
                ))}
              </ul>
            </Card>
          ) : null}
          <ComplianceReport report={report} />
        </>
      ) : (
        <EmptyState title="Not checked yet">
          Assign a policy to this server and run a check from its page; the report appears here.
        </EmptyState>
      )}
      {live ? (
        <Card>
          <LiveEvaluation report={live} configured={report?.features ?? []} />
          {canShare ? (
            <div className="mt-4 print:hidden">
              {live.configured ? (
                <ActionForm
                  action={evaluateNowAction}
                  submit="Check live now"
                  variant="secondary"
                  hidden={{ serverId: server.id }}
                />
              ) : (
                <p className="text-sm text-slate-600">
                  Enter the address and ports under the server’s settings (Live evaluation) to
                  evaluate it from outside.
                </p>
              )}
            </div>
          ) : null}
        </Card>
      ) : null}
    </div>
  );
}
