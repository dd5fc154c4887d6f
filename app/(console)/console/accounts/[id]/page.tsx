import type { Metadata } from "next";
import Link from "@/app/_components/link";
import { notFound } from "next/navigation";
import { guardPage } from "@/lib/auth/page-guard";
import { can } from "@/lib/auth/policy";
import { getAccountDetail, listOpenResetLinks } from "@/lib/accounts/queries";
import { listSubjectJobs } from "@/lib/jobs/queries";
import { SUSPENSION_REASONS } from "@/provisioning/suspension";
import { ActionForm, Field } from "@/app/_components/form";
import { Banner, Card, PageHeader, formatDateTime } from "@/app/_components/ui";
import { JobList } from "@/app/(console)/console/jobs/job-list";
import { AccountStatusBadge } from "../status-badge";
import {
  createResetLinkAction,
  withdrawResetLinkAction,
  deleteAccountAction,
  kickAccountAction,
  setAccountPasswordAction,
  setRecoveryEmailAction,
  setTemporaryPasswordAction,
  suspendAccountAction,
  unsuspendAccountAction,
} from "../actions";
import { ServerState } from "./server-state";

export const metadata: Metadata = { title: "Account" };

export default async function AccountPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ created?: string }>;
}) {
  const { id } = await params;
  const user = await guardPage("accounts.read", `/console/accounts/${id}`);
  const account = await getAccountDetail(id);
  if (!account) notFound();
  const reasons = account.reasons;
  const jobs = await listSubjectJobs(account.id);
  const openResetLinks = await listOpenResetLinks(account.id);
  const address = `${account.localpart}@${account.domain}`;
  const canReset = can(user, "accounts.reset");
  return (
    <>
      <PageHeader
        title={address}
        description={`${account.customer.name} · on ${account.server.name}`}
        actions={<AccountStatusBadge status={account.status} reasons={reasons} />}
      />
      {(await searchParams).created ? (
        <Banner color="green">
          {address} is being created on the server; this page shows the progress below.
        </Banner>
      ) : null}
      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Details">
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
            <dt className="text-slate-500">Address</dt>
            <dd className="font-mono">{address}</dd>
            <dt className="text-slate-500">Customer</dt>
            <dd>
              <Link
                className="text-indigo-700 hover:underline"
                href={`/console/customers/${account.customer.id}`}
              >
                {account.customer.name}
              </Link>
            </dd>
            <dt className="text-slate-500">Suspended for</dt>
            <dd>{reasons.length ? reasons.join(", ") : "—"}</dd>
            <dt className="text-slate-500">Created</dt>
            <dd>{formatDateTime(account.createdAt)}</dd>
          </dl>
        </Card>
        {canReset ? (
          <Card title="Suspension">
            <p className="mb-3 text-sm text-slate-600">
              Suspension stops sign-in and ends open sessions; the password is kept. The account is
              unsuspended only when no reason is left.
            </p>
            <div className="grid gap-4 sm:grid-cols-2">
              <ActionForm
                action={suspendAccountAction}
                submit="Suspend"
                variant="danger"
                hidden={{ accountId: account.id }}
                idPrefix="suspend-"
              >
                <Field
                  label="Reason"
                  name="reason"
                  options={SUSPENSION_REASONS.map((r) => ({ value: r, label: r }))}
                />
                <Field label="Note (required)" name="note" required />
              </ActionForm>
              {reasons.filter((r) => r !== "billing").length ? (
                <ActionForm
                  action={unsuspendAccountAction}
                  submit="Remove reason"
                  variant="secondary"
                  hidden={{ accountId: account.id }}
                  idPrefix="unsuspend-"
                >
                  <Field
                    label="Reason to remove"
                    name="reason"
                    options={reasons
                      .filter((r) => r !== "billing")
                      .map((r) => ({ value: r, label: r }))}
                  />
                  <Field label="Note (required)" name="note" required />
                </ActionForm>
              ) : null}
            </div>
            {reasons.includes("billing") ? (
              <p className="mt-3 text-sm text-amber-800" data-testid="billing-hold">
                Suspended for billing: this ends by itself when the customer&apos;s invoice is paid.
              </p>
            ) : null}
          </Card>
        ) : null}
        {canReset ? (
          <Card title="Password and sessions">
            <ActionForm
              action={setAccountPasswordAction}
              submit="Set password"
              hidden={{ accountId: account.id }}
              idPrefix="password-"
            >
              <Field
                label="New password"
                name="password"
                type="password"
                autoComplete="new-password"
                hint="Leave empty to generate one, shown once."
              />
            </ActionForm>
            <div className="mt-4">
              <ActionForm
                action={kickAccountAction}
                submit="End all sessions"
                variant="secondary"
                hidden={{ accountId: account.id }}
              />
            </div>
            <div className="mt-4 border-t border-slate-100 pt-4">
              <ActionForm
                action={setRecoveryEmailAction}
                submit="Save recovery email"
                variant="secondary"
                hidden={{ accountId: account.id }}
                idPrefix="recovery-"
              >
                <Field
                  label="Recovery email"
                  name="recoveryEmail"
                  type="email"
                  defaultValue={account.recoveryEmail ?? ""}
                  hint="The user can have a reset link sent here from /reset. Empty: none."
                />
              </ActionForm>
            </div>
          </Card>
        ) : null}
        {canReset ? (
          <Card title="Help the user back in">
            <ActionForm
              action={createResetLinkAction}
              submit="Create reset link"
              hidden={{ accountId: account.id }}
              idPrefix="reset-"
            >
              <div className="grid gap-4 sm:grid-cols-2">
                <Field
                  label="Valid for (hours)"
                  name="hours"
                  type="number"
                  min={1}
                  max={72}
                  defaultValue={24}
                />
                <Field
                  label="Why (required, audited)"
                  name="reason"
                  required
                  placeholder="User forgot the password"
                />
                <Field
                  label="Email it to (optional)"
                  name="sendTo"
                  type="email"
                  defaultValue={account.recoveryEmail ?? ""}
                  hint="Empty: copy the link or show the QR code yourself."
                />
              </div>
            </ActionForm>
            {openResetLinks.length > 0 ? (
              <ul
                className="mt-4 space-y-2 border-t border-slate-100 pt-4 text-sm"
                data-testid="open-reset-links"
              >
                {openResetLinks.map((l) => (
                  <li key={l.id} className="flex flex-wrap items-center justify-between gap-2">
                    <span>
                      Open link by {l.createdBy?.name ?? "the account's user (by email)"}, until{" "}
                      {l.expiresAt.toISOString().slice(0, 16).replace("T", " ")} UTC · {l.reason}
                    </span>
                    <ActionForm
                      action={withdrawResetLinkAction}
                      submit="Withdraw"
                      variant="secondary"
                      hidden={{ resetLinkId: l.id }}
                      idPrefix={`withdraw-${l.id}-`}
                      confirm="Withdraw this reset link? It stops working."
                    />
                  </li>
                ))}
              </ul>
            ) : null}
            <div className="mt-4 border-t border-slate-100 pt-4">
              <ActionForm
                action={setTemporaryPasswordAction}
                submit="Set a temporary password"
                variant="secondary"
                hidden={{ accountId: account.id }}
                idPrefix="temp-"
              >
                <div className="grid gap-4 sm:grid-cols-2">
                  <Field
                    label="Stops working after (hours)"
                    name="hours"
                    type="number"
                    min={1}
                    max={168}
                    defaultValue={24}
                  />
                  <Field label="Why (required, audited)" name="reason" required />
                </div>
              </ActionForm>
            </div>
          </Card>
        ) : null}
        <ServerState accountId={account.id} />
        {can(user, "accounts.write") ? (
          <Card title="Delete">
            <p className="mb-3 text-sm text-slate-600">
              Removes the account and its archive from the server. The username stays reserved for
              this customer.
            </p>
            <ActionForm
              action={deleteAccountAction}
              submit="Delete account"
              variant="danger"
              hidden={{ accountId: account.id }}
              confirm={`Delete ${address}? This cannot be undone.`}
            />
          </Card>
        ) : null}
      </div>
      <h2 className="mb-2 mt-8 text-base font-semibold">Provisioning history</h2>
      <JobList jobs={jobs} canManage={can(user, "jobs.manage")} />
    </>
  );
}
