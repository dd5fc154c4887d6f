import type { Metadata } from "next";
import Link from "@/app/_components/link";
import { guardPage } from "@/lib/auth/page-guard";
import { getBillingOverview } from "@/lib/billing/queries";
import { billingSettings } from "@/lib/billing/lifecycle";
import {
  Badge,
  Card,
  EmptyState,
  PageHeader,
  Table,
  Td,
  formatDateTime,
} from "@/app/_components/ui";
import { billingEnabled } from "@/lib/billing/stripe-client";

export const metadata: Metadata = { title: "Billing" };

export default async function BillingPage() {
  await guardPage("billing.read", "/console/billing");
  const o = await getBillingOverview();
  const settings = billingSettings();
  const stripeOn = billingEnabled();
  return (
    <>
      <PageHeader
        title="Billing"
        description={`Subscriptions, failed payments and what happens next. Grace period ${settings.graceDays} days; canceled customers are removed ${settings.terminateAfterDays} days after their paid period ends.${stripeOn ? "" : " Stripe is not connected: plans are assigned by staff."}`}
      />
      {o.subscriptions.length === 0 ? (
        <EmptyState title="No subscriptions yet">
          When customers subscribe through Stripe, their subscriptions, revenue and payment problems
          appear here. Link plans to Stripe prices under Plans.
        </EmptyState>
      ) : (
        <div className="space-y-6">
          <div className="grid gap-4 sm:grid-cols-3">
            <Card title="Monthly recurring revenue">
              {o.mrr.length ? (
                o.mrr.map((m) => (
                  <p key={m.currency} className="text-2xl font-semibold" data-testid="mrr">
                    {(m.cents / 100).toFixed(2)} {m.currency}
                  </p>
                ))
              ) : (
                <p className="text-sm text-slate-600">No priced plans.</p>
              )}
            </Card>
            <Card title="Subscriptions">
              <ul className="space-y-1 text-sm">
                {o.byStatus.map(([status, n]) => (
                  <li key={status}>
                    <Badge>{status.toLowerCase().replace("_", " ")}</Badge> {n}
                  </li>
                ))}
              </ul>
            </Card>
            <Card title="Failed payments">
              <p className="text-2xl font-semibold">{o.failedPayments.length}</p>
            </Card>
          </div>
          {o.upcoming.length ? (
            <Card title="Coming up">
              <ul className="space-y-1 text-sm">
                {o.upcoming.map((u) => (
                  <li key={`${u.customerId}-${u.what}`}>
                    <Badge color={u.what === "termination" ? "red" : "amber"}>{u.what}</Badge>{" "}
                    <Link
                      className="text-indigo-700 hover:underline"
                      href={`/console/customers/${u.customerId}`}
                    >
                      {u.customer}
                    </Link>{" "}
                    on {formatDateTime(u.at)}
                  </li>
                ))}
              </ul>
            </Card>
          ) : null}
          <Table
            head={["Customer", "Plan", "Status", "Period ends", "Updated"]}
            caption="Subscriptions"
          >
            {o.subscriptions.map((s) => (
              <tr key={s.id}>
                <Td>
                  <Link
                    className="text-indigo-700 hover:underline"
                    href={`/console/customers/${s.customer.id}`}
                  >
                    {s.customer.name}
                  </Link>
                </Td>
                <Td>{s.customer.plan?.name ?? "—"}</Td>
                <Td>
                  <Badge
                    color={
                      s.status === "ACTIVE" || s.status === "TRIALING"
                        ? "green"
                        : s.status === "CANCELED"
                          ? "slate"
                          : "amber"
                    }
                  >
                    {s.status.toLowerCase().replace("_", " ")}
                  </Badge>
                  {s.cancelAtPeriodEnd ? " ends at period end" : ""}
                </Td>
                <Td>{formatDateTime(s.currentPeriodEnd)}</Td>
                <Td>{formatDateTime(s.updatedAt)}</Td>
              </tr>
            ))}
          </Table>
        </div>
      )}
    </>
  );
}
