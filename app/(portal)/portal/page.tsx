import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { guardPage } from "@/lib/auth/page-guard";
import { getPortalOverview } from "@/lib/portal/queries";
import { Card, PageHeader } from "@/app/_components/ui";
import { UsageBar } from "@/app/_components/usage-bar";
import { NotificationList } from "@/app/_components/notification-list";
import { StatusBadge } from "@/app/(console)/console/customers/status-badge";
import { ActionForm, Field } from "@/app/_components/form";
import { closeServiceAction, restoreServiceAction } from "./service/actions";
import { closeGraceDays } from "@/lib/customers/close-customer";

export const metadata: Metadata = { title: "Your service" };

export default async function PortalHome() {
  const user = await guardPage("portal.view", "/portal");
  if (!user.customerId) notFound();
  const customer = await getPortalOverview(user);
  if (!customer) notFound();
  return (
    <>
      <PageHeader
        title={customer.name}
        description="Your plan, your usage and notices about your service."
        actions={<StatusBadge status={customer.status} />}
      />
      <div className="grid gap-6 md:grid-cols-2">
        <Card title="Plan and usage">
          {customer.plan ? (
            <div className="space-y-3 text-sm" data-testid="portal-plan">
              <p className="font-medium">{customer.plan.name}</p>
              <UsageBar
                label="Accounts"
                used={customer._count.accounts}
                limit={customer.plan.seats}
              />
              <UsageBar label="Rooms" used={customer._count.rooms} limit={customer.plan.rooms} />
              <p className="text-slate-600">
                Messages are kept{" "}
                {customer.plan.retentionDays === 0
                  ? "only on your devices"
                  : `for ${customer.plan.retentionDays} days on the server`}
                .
              </p>
            </div>
          ) : (
            <p className="text-sm text-slate-600">No plan yet. Your provider will assign one.</p>
          )}
        </Card>
        <Card title="Notifications">
          <NotificationList userId={user.id} />
        </Card>
        <Card title="Your data and your service">
          <p className="text-sm">
            <a
              className="text-indigo-700 underline"
              href="/api/portal/export"
              data-testid="export-link"
            >
              Download everything we keep about you (JSON)
            </a>
          </p>
          {customer.status === "CLOSING" ? (
            <div className="mt-4 text-sm">
              <p className="mb-2 text-amber-800">
                Your service is closing: every account is suspended and will be removed{" "}
                {customer.closingAt
                  ? `on ${customer.closingAt.toISOString().slice(0, 10)}`
                  : "soon"}
                .
              </p>
              <ActionForm action={restoreServiceAction} submit="Restore everything" />
            </div>
          ) : (
            <div className="mt-4 text-sm">
              <p className="mb-2 text-slate-600">
                Closing suspends every account at once; you can restore everything for{" "}
                {closeGraceDays()} days, then accounts and rooms are removed.
              </p>
              <ActionForm action={closeServiceAction} submit="Close my service" variant="danger">
                <Field label="Type CLOSE to confirm" name="confirm" required autoComplete="off" />
              </ActionForm>
            </div>
          )}
        </Card>
      </div>
    </>
  );
}
