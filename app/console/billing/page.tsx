import type { Metadata } from "next";
import { guardPage } from "@/lib/auth/page-guard";
import { prisma } from "@/lib/db";
import { Card, EmptyState, PageHeader } from "@/app/_components/ui";

export const metadata: Metadata = { title: "Billing" };

export default async function BillingPage() {
  await guardPage("billing.read", "/console/billing");
  const byStatus = await prisma.customer.groupBy({ by: ["status"], _count: { _all: true } });
  return (
    <>
      <PageHeader title="Billing" description="Subscriptions, failed payments and upcoming suspensions. Stripe is not connected: plans are assigned by staff." />
      {byStatus.length === 0 ? (
        <EmptyState title="No customers yet">Once customers exist, their subscription states are summarised here.</EmptyState>
      ) : (
        <Card title="Customers by status">
          <ul className="grid grid-cols-2 gap-2 text-sm sm:grid-cols-5">
            {byStatus.map((s) => <li key={s.status}><span className="text-xl font-semibold">{s._count._all}</span> <span className="text-slate-600">{s.status.toLowerCase().replace("_", " ")}</span></li>)}
          </ul>
        </Card>
      )}
    </>
  );
}
