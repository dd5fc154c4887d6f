import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { guardPage } from "@/lib/auth/page-guard";
import { getPortalBilling } from "@/lib/portal/queries";
import { billingEnabled } from "@/lib/billing/stripe-client";
import { ActionForm } from "@/app/_components/form";
import { Banner, Card, PageHeader, formatDateTime } from "@/app/_components/ui";
import { openBillingPortalAction } from "./actions";

export const metadata: Metadata = { title: "Billing" };

export default async function PortalBillingPage({
  searchParams,
}: {
  searchParams: Promise<{ paid?: string }>;
}) {
  const user = await guardPage("portal.view", "/portal/billing");
  if (!user.customerId) notFound();
  const customer = await getPortalBilling(user);
  return (
    <>
      <PageHeader title="Billing" description="Your plan and payments." />
      {(await searchParams).paid ? (
        <Banner color="green">
          Thank you! Your payment is being confirmed; this page updates in a moment.
        </Banner>
      ) : null}
      <Card>
        <p className="text-sm">
          Plan: <strong>{customer.plan?.name ?? "none yet"}</strong>
          {customer.plan?.priceCents != null
            ? ` · ${(customer.plan.priceCents / 100).toFixed(2)} ${customer.plan.currency} a month`
            : ""}
        </p>
        {customer.subscription ? (
          <p className="mt-1 text-sm" data-testid="portal-subscription">
            Subscription {customer.subscription.status.toLowerCase().replace("_", " ")}
            {customer.subscription.cancelAtPeriodEnd ? ", ends" : ", renews"} on{" "}
            {formatDateTime(customer.subscription.currentPeriodEnd)}.
          </p>
        ) : null}
        {billingEnabled() && customer.stripeCustomerId ? (
          <div className="mt-4">
            <ActionForm
              action={openBillingPortalAction}
              submit="Manage payment method and subscription"
            />
          </div>
        ) : (
          <p className="mt-3 text-sm text-slate-600">
            Payments are arranged with your provider directly.
          </p>
        )}
      </Card>
    </>
  );
}
