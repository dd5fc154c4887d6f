import type { Metadata } from "next";
import { guardPage } from "@/lib/auth/page-guard";
import { Card, PageHeader } from "@/app/_components/ui";
import { PlanForm } from "../plan-form";
import { createPlanAction } from "../actions";

export const metadata: Metadata = { title: "New plan" };

export default async function NewPlanPage() {
  await guardPage("plans.write", "/console/plans/new");
  return (
    <>
      <PageHeader title="New plan" />
      <Card>
        <PlanForm action={createPlanAction} submit="Create plan" />
      </Card>
    </>
  );
}
