import type { Metadata } from "next";
import { guardPage } from "@/lib/auth/page-guard";
import { mustEnrolTwoFactor } from "@/lib/auth/two-factor-gate";
import { PageHeader } from "@/app/_components/ui";
import { SecurityPanel } from "@/app/_components/security/security-panel";

export const metadata: Metadata = { title: "Your sign-in" };

export default async function ConsoleSecurityPage({
  searchParams,
}: {
  searchParams: Promise<{ prompt?: string }>;
}) {
  const user = await guardPage("console.view", "/console/security");
  return (
    <>
      <PageHeader title="Your sign-in" description={`Signed in as ${user.email}.`} />
      <SecurityPanel
        user={user}
        prompt={(await searchParams).prompt === "1"}
        required={await mustEnrolTwoFactor(user)}
      />
    </>
  );
}
