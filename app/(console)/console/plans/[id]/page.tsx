import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { guardPage } from "@/lib/auth/page-guard";
import { getPlan } from "@/lib/plans/queries";
import { ActionForm } from "@/app/_components/form";
import { FigureAge } from "@/app/_components/figure-age";
import { Card, PageHeader } from "@/app/_components/ui";
import { PlanForm } from "../plan-form";
import { setPlanArchivedAction, updatePlanAction } from "../actions";

export const metadata: Metadata = { title: "Edit plan" };

export default async function EditPlanPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await guardPage("plans.write", `/console/plans/${id}`);
  const plan = await getPlan(id);
  if (!plan) notFound();
  return (
    <>
      <PageHeader
        title={`Plan: ${plan.name}`}
        description={`${plan.customers} customer(s) on this plan. Changes apply to them at once.`}
      />
      <div className="space-y-6">
        <Card>
          <PlanForm action={updatePlanAction} plan={plan} submit="Save plan" />
        </Card>
        <Card title={plan.archivedAt ? "Archived" : "Archive"}>
          <p className="mb-3 text-sm text-slate-600">
            {plan.archivedAt
              ? "New customers cannot choose this plan."
              : "Archiving keeps the plan for its customers but hides it from new ones."}
          </p>
          <ActionForm
            action={setPlanArchivedAction}
            submit={plan.archivedAt ? "Restore plan" : "Archive plan"}
            variant="secondary"
            hidden={{ id: plan.id, archived: plan.archivedAt ? "false" : "true" }}
          />
        </Card>
      </div>
      <FigureAge figure={plan.counted} what="Customer counts" />
    </>
  );
}
