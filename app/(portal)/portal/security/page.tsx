import type { Metadata } from "next";
import { guardPage } from "@/lib/auth/page-guard";
import { PageHeader } from "@/app/_components/ui";
import { SecurityPanel } from "@/app/_components/security/security-panel";

export const metadata: Metadata = { title: "Your sign-in" };

export default async function PortalSecurityPage() {
  const user = await guardPage("portal.view", "/portal/security");
  return (
    <>
      <PageHeader title="Your sign-in" description={`Signed in as ${user.email}.`} />
      <SecurityPanel user={user} prompt={false} />
    </>
  );
}
