import type { Metadata } from "next";
import { guardPage } from "@/lib/auth/page-guard";
import { EmptyState, PageHeader } from "@/app/_components/ui";

export const metadata: Metadata = { title: "Policies" };

export default async function PoliciesPage() {
  await guardPage("policies.read", "/console/policies");
  return (
    <>
      <PageHeader title="Policies" description="Message retention and no-IP-logging rules, enforced on each server and checked continuously." />
      <EmptyState title="No policies yet">
        Policies will say how long one-to-one and group archives are kept and what servers may log. Each plan names its retention.
      </EmptyState>
    </>
  );
}
