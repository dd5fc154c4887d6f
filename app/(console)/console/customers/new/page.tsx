import type { Metadata } from "next";
import { guardPage } from "@/lib/auth/page-guard";
import { listPlans } from "@/lib/plans/queries";
import { Card, PageHeader } from "@/app/_components/ui";
import { CustomerForm } from "../customer-form";
import { createCustomerAction } from "../actions";

export const metadata: Metadata = { title: "Add customer" };

export default async function NewCustomerPage() {
  await guardPage("customers.write", "/console/customers/new");
  const plans = await listPlans();
  return (
    <>
      <PageHeader title="Add customer" description="You can add portal users after saving." />
      <Card>
        <CustomerForm action={createCustomerAction} plans={plans} submit="Add customer" />
      </Card>
    </>
  );
}
