import type { Metadata } from "next";
import { guardPage } from "@/lib/auth/page-guard";
import { Card, PageHeader } from "@/app/_components/ui";
import { ServerForm } from "../server-form";
import { createServerAction } from "../actions";

export const metadata: Metadata = { title: "Add server" };

export default async function NewServerPage() {
  await guardPage("servers.write", "/console/servers/new");
  return (
    <>
      <PageHeader
        title="Add server"
        description="Credentials are stored encrypted. After saving, test the connection."
      />
      <Card>
        <ServerForm action={createServerAction} submit="Add server" />
      </Card>
    </>
  );
}
