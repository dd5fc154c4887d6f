import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { guardPage } from "@/lib/auth/page-guard";
import { getPolicy } from "@/lib/policies/queries";
import { Card, PageHeader } from "@/app/_components/ui";
import { PolicyForm } from "../policy-form";
import { updatePolicyAction } from "../actions";

export const metadata: Metadata = { title: "Policy" };

export default async function PolicyPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await guardPage("policies.write", `/console/policies/${id}`);
  const policy = await getPolicy(id);
  if (!policy) notFound();
  return (
    <>
      <PageHeader
        title={`Policy: ${policy.name}`}
        description="Changes apply to every server under this policy at the next enforcement."
      />
      <Card>
        <PolicyForm action={updatePolicyAction} policy={policy} submit="Save policy" />
      </Card>
    </>
  );
}
