import type { Metadata } from "next";
import Link from "@/app/_components/link";
import { notFound } from "next/navigation";
import { guardPage } from "@/lib/auth/page-guard";
import { can } from "@/lib/auth/policy";
import { getCustomer } from "@/lib/customers/queries";
import { listPlans } from "@/lib/plans/queries";
import { listCustomerAuditEvents } from "@/lib/audit/queries";
import { getCustomerSubscription } from "@/lib/billing/queries";
import { now } from "@/core/clock";
import { ActionForm, Field } from "@/app/_components/form";
import { Badge, Banner, Card, PageHeader, formatDateTime } from "@/app/_components/ui";
import { CustomerForm } from "../customer-form";
import { StatusBadge } from "../status-badge";
import { createCheckoutLinkAction, invitePortalUserAction, updateCustomerAction } from "../actions";
import { billingEnabled } from "@/lib/billing/stripe-client";
import { UsageBar } from "@/app/_components/usage-bar";

export const metadata: Metadata = { title: "Customer" };

export default async function CustomerPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ created?: string }>;
}) {
  const { id } = await params;
  const user = await guardPage("customers.read", `/console/customers/${id}`);
  const customer = await getCustomer(id);
  if (!customer) notFound();
  const [plans, audit, subscription] = await Promise.all([
    listPlans(),
    can(user, "audit.read") ? listCustomerAuditEvents(user, id) : null,
    // Support staff never receive billing data, not even in the page payload.
    can(user, "billing.read") ? getCustomerSubscription(id) : null,
  ]);
  const created = (await searchParams).created === "1";
  return (
    <>
      <PageHeader
        title={customer.name}
        description={`${customer.kind.toLowerCase()} · ${customer.contactEmail}`}
        actions={<StatusBadge status={customer.status} />}
      />
      {created ? (
        <Banner color="green">
          Customer added. Invite a portal user so they can manage their accounts.
        </Banner>
      ) : null}
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="space-y-6 lg:col-span-2">
          {can(user, "customers.write") ? (
            <Card title="Details">
              <CustomerForm
                action={updateCustomerAction}
                plans={plans}
                customer={customer}
                submit="Save changes"
              />
            </Card>
          ) : null}
          <Card title="Portal users">
            {customer.users.length === 0 ? (
              <p className="mb-4 text-sm text-slate-600">
                No portal users yet. Portal users sign in to manage this customer&apos;s accounts,
                rooms and invites.
              </p>
            ) : (
              <ul className="mb-4 divide-y divide-slate-100 text-sm">
                {customer.users.map((u) => (
                  <li key={u.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                    <span>
                      {u.name} <span className="text-slate-500">{u.email}</span>
                    </span>
                    <span className="flex gap-1">
                      {u.disabledAt ? <Badge color="red">disabled</Badge> : null}
                      {u.lockedUntil && u.lockedUntil > now() ? (
                        <Badge color="amber">locked</Badge>
                      ) : null}
                      {u.lastLoginAt ? (
                        <Badge>last sign-in {formatDateTime(u.lastLoginAt)}</Badge>
                      ) : (
                        <Badge color="indigo">invited</Badge>
                      )}
                    </span>
                  </li>
                ))}
              </ul>
            )}
            {can(user, "portalUsers.write") ? (
              <ActionForm
                action={invitePortalUserAction}
                submit="Invite portal user"
                hidden={{ customerId: customer.id }}
                idPrefix="portal-user-"
              >
                <div className="grid gap-4 sm:grid-cols-2">
                  <Field label="Name" name="name" required />
                  <Field label="Email" name="email" type="email" required />
                </div>
              </ActionForm>
            ) : null}
          </Card>
        </div>
        <div className="space-y-6">
          <Card title="Plan and usage">
            {customer.plan ? (
              <div className="space-y-3 text-sm">
                <p className="font-medium">{customer.plan.name}</p>
                <UsageBar
                  label="Seats"
                  used={customer._count.accounts}
                  limit={customer.plan.seats}
                />
                <UsageBar label="Rooms" used={customer._count.rooms} limit={customer.plan.rooms} />
                <p>
                  <Link
                    className="text-indigo-700 hover:underline"
                    href={`/console/accounts?customer=${customer.id}`}
                  >
                    Accounts of this customer, and a new one
                  </Link>
                </p>
                <p className="text-slate-600">
                  Messages kept{" "}
                  {customer.plan.retentionDays === 0
                    ? "not at all"
                    : `${customer.plan.retentionDays} days`}
                  .
                </p>
              </div>
            ) : (
              <p className="text-sm text-slate-600">
                No plan assigned: this customer cannot use seats or rooms yet.
              </p>
            )}
          </Card>
          {can(user, "billing.read") ? (
            <Card title="Billing">
              {subscription ? (
                <dl
                  className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm"
                  data-testid="billing-panel"
                >
                  <dt className="text-slate-500">Subscription</dt>
                  <dd>
                    {subscription.status.toLowerCase().replace("_", " ")}
                    {subscription.cancelAtPeriodEnd ? ", ends at period end" : ""}
                  </dd>
                  <dt className="text-slate-500">Period ends</dt>
                  <dd>{formatDateTime(subscription.currentPeriodEnd)}</dd>
                  {subscription.pastDueSince ? (
                    <>
                      <dt className="text-slate-500">Unpaid since</dt>
                      <dd>{formatDateTime(subscription.pastDueSince)}</dd>
                    </>
                  ) : null}
                </dl>
              ) : (
                <p className="text-sm text-slate-600">
                  No Stripe subscription: the plan is assigned by staff.
                </p>
              )}
              {billingEnabled() ? (
                <div className="mt-4">
                  <ActionForm
                    action={createCheckoutLinkAction}
                    submit="Create a checkout link"
                    variant="secondary"
                    hidden={{ customerId: customer.id }}
                  >
                    <Field
                      label="Plan to subscribe to"
                      name="planId"
                      defaultValue={customer.planId ?? ""}
                      options={plans
                        .filter((p) => p.stripePriceId)
                        .map((p) => ({ value: p.id, label: p.name }))}
                    />
                  </ActionForm>
                </div>
              ) : null}
            </Card>
          ) : null}
          {audit ? (
            <Card title="Recent activity">
              {audit.length === 0 ? (
                <p className="text-sm text-slate-600">Nothing yet.</p>
              ) : (
                <ul className="space-y-1 text-xs">
                  {audit.map((e) => (
                    <li key={e.id}>
                      <span className="font-mono">{e.action}</span> · {e.actorLabel} ·{" "}
                      {formatDateTime(e.at)}
                    </li>
                  ))}
                </ul>
              )}
              <Link
                className="mt-2 inline-block text-sm text-indigo-700 hover:underline"
                href={`/console/audit?customer=${customer.id}`}
              >
                All activity →
              </Link>
              {(
                [
                  ["Accounts", "accounts"],
                  ["Invites", "invites"],
                  ["Rooms", "rooms"],
                  ["Portal users", "portal-users"],
                ] as const
              ).map(([label, list]) => (
                <Link
                  key={list}
                  className="ml-4 mt-2 inline-block text-sm text-indigo-700 hover:underline"
                  href={`/console/${list}?customer=${customer.id}`}
                >
                  {label} →
                </Link>
              ))}
              <Link
                className="ml-4 mt-2 inline-block text-sm text-indigo-700 hover:underline"
                href={`/console/customers/${customer.id}/portal`}
              >
                Their portal (read-only) →
              </Link>
            </Card>
          ) : null}
        </div>
      </div>
    </>
  );
}
