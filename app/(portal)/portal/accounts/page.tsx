import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { guardPage } from "@/lib/auth/page-guard";
import { getPortalAccounts } from "@/lib/portal/queries";
import { ActionForm, Field } from "@/app/_components/form";
import { Card, EmptyState, PageHeader } from "@/app/_components/ui";
import { UsageBar } from "@/app/_components/usage-bar";
import { AccountStatusBadge } from "@/app/(console)/console/accounts/status-badge";
import {
  createAccountAction,
  deleteAccountAction,
  setAccountPasswordAction,
  setRecoveryEmailAction,
  suspendAccountAction,
  unsuspendAccountAction,
} from "@/app/(console)/console/accounts/actions";

export const metadata: Metadata = { title: "Accounts" };

export default async function PortalAccountsPage() {
  const user = await guardPage("portal.view", "/portal/accounts");
  if (!user.customerId) notFound();
  const customerId = user.customerId;
  const { seats, accounts } = await getPortalAccounts(user);
  return (
    <>
      <PageHeader
        title="Accounts"
        description="Your chat addresses. Each uses one place of your plan."
      />
      <div className="mb-6 max-w-sm">
        <UsageBar label="Places used" used={accounts.length} limit={seats} />
      </div>
      {accounts.length > seats ? (
        <p className="mb-4 text-sm text-amber-800" data-testid="over-seats">
          You use more accounts than your plan includes; choose which to delete or pick a larger
          plan. Nothing is deleted for you.
        </p>
      ) : null}
      {accounts.length === 0 ? (
        <EmptyState title="No accounts yet">
          Create one below, or send an invite so people choose their own address.
        </EmptyState>
      ) : (
        <ul className="space-y-3" data-testid="portal-accounts">
          {accounts.map((a) => {
            const reasons = a.reasons;
            return (
              <li key={a.id} className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
                <div className="flex flex-wrap items-center gap-2">
                  <span className="font-mono">
                    {a.localpart}@{a.domain}
                  </span>
                  <AccountStatusBadge status={a.status} reasons={reasons} />
                </div>
                {reasons.includes("billing") ? (
                  <p className="mt-1 text-xs text-amber-800">
                    Suspended until the open invoice is paid.
                  </p>
                ) : null}
                <div className="mt-3 grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
                  <ActionForm
                    action={setAccountPasswordAction}
                    submit="Change password"
                    variant="secondary"
                    hidden={{ accountId: a.id }}
                    idPrefix={`pw-${a.id}-`}
                  >
                    <Field
                      label="New password"
                      name="password"
                      type="password"
                      autoComplete="new-password"
                      hint="Empty: we make one up and show it once."
                    />
                  </ActionForm>
                  {reasons.includes("customer") ? (
                    <ActionForm
                      action={unsuspendAccountAction}
                      submit="Allow sign-in again"
                      variant="secondary"
                      hidden={{
                        accountId: a.id,
                        reason: "customer",
                        note: "restored by the customer",
                      }}
                    />
                  ) : (
                    <ActionForm
                      action={suspendAccountAction}
                      submit="Block sign-in"
                      variant="secondary"
                      hidden={{
                        accountId: a.id,
                        reason: "customer",
                        note: "blocked by the customer",
                      }}
                      confirm={`Block sign-in for ${a.localpart}@${a.domain}? Open sessions end; the password is kept.`}
                    />
                  )}
                  <ActionForm
                    action={setRecoveryEmailAction}
                    submit="Save recovery email"
                    variant="secondary"
                    hidden={{ accountId: a.id }}
                    idPrefix={`rec-${a.id}-`}
                  >
                    <Field
                      label="Recovery email"
                      name="recoveryEmail"
                      type="email"
                      defaultValue={a.recoveryEmail ?? ""}
                      hint="Its user can then reset a forgotten password at /reset without asking you."
                    />
                  </ActionForm>
                  <ActionForm
                    action={deleteAccountAction}
                    submit="Delete"
                    variant="danger"
                    hidden={{ accountId: a.id }}
                    confirm={`Delete ${a.localpart}@${a.domain} and its messages? This cannot be undone.`}
                  />
                </div>
              </li>
            );
          })}
        </ul>
      )}
      {accounts.length < seats ? (
        <Card title="Create an account" className="mt-6">
          <ActionForm
            action={createAccountAction}
            submit="Create account"
            hidden={{ customerId }}
            idPrefix="new-"
          >
            <div className="grid gap-4 sm:grid-cols-2">
              <Field label="Username" name="localpart" required autoComplete="off" />
              <Field
                label="Password"
                name="password"
                type="password"
                autoComplete="new-password"
                hint="Empty: we make one up and show it once."
              />
            </div>
          </ActionForm>
        </Card>
      ) : null}
    </>
  );
}
