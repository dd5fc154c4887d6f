import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { guardPage } from "@/lib/auth/page-guard";
import { can } from "@/lib/auth/policy";
import { listServerReconcileJobs } from "@/lib/jobs/queries";
import { reconcilePeriod } from "@/lib/jobs/schedules";
import { listPolicyChoices } from "@/lib/policies/queries";
import { getServerDetail, latestDriftReport, listServerCapabilities } from "@/lib/servers/queries";
import { ActionForm } from "@/app/_components/form";
import { Badge, Banner, Card, PageHeader, formatDateTime } from "@/app/_components/ui";
import { JobList } from "@/app/(console)/console/jobs/job-list";
import { ServerForm } from "../server-form";
import { ServerStatus } from "../server-status";
import {
  approveHostKeyAction,
  reconcileServerAction,
  testConnectionAction,
  updateServerAction,
} from "../actions";
import { assignPolicyAction, complianceAction } from "@/app/(console)/console/policies/actions";
import { Field } from "@/app/_components/form";
import { DriftReportView } from "./drift-report";
import { purgedByParley, serverKindLabel } from "@/lib/servers/kinds";
import { probeAccountOf } from "@/lib/evaluation/queries";

export const metadata: Metadata = { title: "Server" };

export default async function ServerPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ created?: string }>;
}) {
  const { id } = await params;
  const user = await guardPage("servers.read", `/console/servers/${id}`);
  const server = await getServerDetail(id);
  if (!server) notFound();
  const policies = can(user, "policies.write") ? await listPolicyChoices() : [];
  const [drift, jobs, capabilities, probe] = await Promise.all([
    latestDriftReport(id),
    listServerReconcileJobs(id),
    listServerCapabilities(id),
    probeAccountOf(id),
  ]);
  const canWrite = can(user, "servers.write");
  return (
    <>
      <PageHeader
        title={server.name}
        description={`${serverKindLabel(server.kind)} · ${server.domain}${server.mucDomain ? ` · rooms on ${server.mucDomain}` : ""}`}
        actions={<ServerStatus status={server.status} />}
      />
      {(await searchParams).created ? (
        <Banner color="green">Server added. Test the connection next.</Banner>
      ) : null}
      {server.sshHostKeyPending ? (
        <Banner color={server.sshHostKeyChangedAt ? "red" : "amber"} testId="host-key-banner">
          <p className="font-semibold">
            {server.sshHostKeyChangedAt
              ? "The SSH host key of this server CHANGED. Parley refuses to connect."
              : "Approve this server's SSH host key."}
          </p>
          <p className="mt-1">
            Presented key: <code className="font-mono">{server.sshHostKeyPending}</code>
            {server.sshHostKeySha256 ? (
              <>
                {" "}
                (pinned: <code className="font-mono">{server.sshHostKeySha256}</code>)
              </>
            ) : null}
          </p>
          <p className="mt-1">
            Compare it with <code>ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub</code> on the
            server before approving.
          </p>
          {canWrite ? (
            <div className="mt-2">
              <ActionForm
                action={approveHostKeyAction}
                submit="Approve this key"
                variant={server.sshHostKeyChangedAt ? "danger" : "primary"}
                hidden={{ id: server.id, fingerprint: server.sshHostKeyPending }}
              />
            </div>
          ) : null}
        </Banner>
      ) : null}
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="space-y-6 lg:col-span-2">
          {canWrite ? (
            <Card title="Settings">
              <ServerForm action={updateServerAction} server={server} submit="Save" />
            </Card>
          ) : null}
          <Card title="Drift">
            <p className="mb-3 text-sm text-slate-600">
              Compares what Parley expects with what the server has. Runs every {reconcilePeriod()}{" "}
              as a dry run. Repair recreates what is missing; extra accounts and rooms on the server
              are only listed, never deleted.
            </p>
            {drift ? (
              <DriftReportView at={drift.at} report={drift.report} />
            ) : (
              <p className="text-sm text-slate-600">Not checked yet.</p>
            )}
            {canWrite ? (
              <div className="mt-4 flex flex-wrap gap-2">
                <ActionForm
                  action={reconcileServerAction}
                  submit="Compare now"
                  variant="secondary"
                  hidden={{ id: server.id, mode: "dry-run" }}
                  className="flex"
                />
                <ActionForm
                  action={reconcileServerAction}
                  submit="Repair"
                  variant="secondary"
                  hidden={{ id: server.id, mode: "repair" }}
                  className="flex"
                  confirm="Recreate missing accounts (with new random passwords) and rooms?"
                />
              </div>
            ) : null}
            <div className="mt-4">
              <JobList jobs={jobs} canManage={can(user, "jobs.manage")} />
            </div>
          </Card>
        </div>
        <div className="space-y-6">
          <Card title="Connection">
            <p className="mb-3 text-sm text-slate-600">
              Last checked {formatDateTime(server.lastCheckedAt)}.
              {server.lastError ? (
                <>
                  {" "}
                  <span className="text-rose-700">{server.lastError}</span>
                </>
              ) : null}
            </p>
            {canWrite ? (
              <ActionForm
                action={testConnectionAction}
                submit="Test connection"
                hidden={{ id: server.id }}
              />
            ) : null}
          </Card>
          <Card title="Privacy policy">
            <p className="mb-3 text-sm text-slate-600" data-testid="server-policy">
              {server.policy ? (
                <>
                  Keeps <strong>{server.policy.name}</strong> (
                  {server.policy.mamRetentionDays === 0
                    ? "no archive"
                    : `${server.policy.mamRetentionDays} days`}
                  ). Compliance: {server.complianceStatus}.
                </>
              ) : (
                "No policy yet: customers of any plan may be placed here, and nothing is checked."
              )}
            </p>
            <p className="mb-3 flex flex-wrap gap-4 text-sm">
              <a
                className="text-indigo-700 hover:underline"
                href={`/console/servers/${server.id}/compliance`}
              >
                Compliance report →
              </a>
              <a
                className="text-indigo-700 hover:underline"
                href={`/console/servers/${server.id}/provider-file`}
              >
                Provider file →
              </a>
            </p>
            {can(user, "policies.write") && server.policy ? (
              <div className="mb-3 flex flex-wrap gap-2">
                <ActionForm
                  action={complianceAction}
                  submit="Enforce now"
                  hidden={{ serverId: server.id, what: "enforce" }}
                  className="flex"
                />
                <ActionForm
                  action={complianceAction}
                  submit="Check now"
                  variant="secondary"
                  hidden={{ serverId: server.id, what: "verify" }}
                  className="flex"
                />
                {purgedByParley(server.kind) ? (
                  <ActionForm
                    action={complianceAction}
                    submit="Purge old messages"
                    variant="secondary"
                    hidden={{ serverId: server.id, what: "purge" }}
                    className="flex"
                  />
                ) : null}
              </div>
            ) : null}
            {can(user, "policies.write") ? (
              <ActionForm
                action={assignPolicyAction}
                submit="Assign"
                variant="secondary"
                hidden={{ serverId: server.id }}
              >
                <Field
                  label="Policy"
                  name="policyId"
                  defaultValue={server.policy?.id ?? ""}
                  options={[
                    { value: "", label: "None" },
                    ...policies.map((p) => ({ value: p.id, label: p.name })),
                  ]}
                />
              </ActionForm>
            ) : null}
          </Card>
          <Card title="Live evaluation">
            <p className="text-sm text-slate-600" data-testid="server-probe">
              {probe ? (
                <>
                  Parley’s probe account:{" "}
                  <span className="font-mono">
                    {probe.localpart}@{probe.domain}
                  </span>{" "}
                  (Parley’s own, for the live checks; no customer’s, no seat).
                </>
              ) : server.c2sPort ? (
                "Parley creates its probe account at the first live check."
              ) : (
                "Enter the address and ports in the settings to evaluate this server from outside."
              )}
            </p>
            <p className="mt-2 text-sm">
              <a
                className="text-indigo-700 hover:underline"
                href={`/console/servers/${server.id}/compliance`}
              >
                Live report →
              </a>
            </p>
          </Card>
          <Card title="Capabilities">
            <p className="mb-2 text-xs text-slate-600">
              What Parley can do on this server; the console offers only these.
            </p>
            <ul className="flex flex-wrap gap-1" data-testid="capabilities">
              {capabilities.map(({ capability: c, offered }) => (
                <li key={c}>
                  <Badge color={offered ? "indigo" : "slate"}>{offered ? c : `no ${c}`}</Badge>
                </li>
              ))}
            </ul>
          </Card>
        </div>
      </div>
    </>
  );
}
