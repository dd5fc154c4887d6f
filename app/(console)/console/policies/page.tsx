import type { Metadata } from "next";
import Link from "@/app/_components/link";
import { guardPage } from "@/lib/auth/page-guard";
import { can } from "@/lib/auth/policy";
import { listPolicies } from "@/lib/policies/queries";
import { Badge, Banner, Card, EmptyState, PageHeader } from "@/app/_components/ui";
import { PolicyForm } from "./policy-form";
import { createPolicyAction } from "./actions";

export const metadata: Metadata = { title: "Policies" };

export default async function PoliciesPage({
  searchParams,
}: {
  searchParams: Promise<{ created?: string }>;
}) {
  const user = await guardPage("policies.read", "/console/policies");
  const policies = await listPolicies();
  return (
    <>
      <PageHeader
        title="Policies"
        description="How long messages are kept and what servers may log. Each server keeps one policy; customers are placed only on servers whose retention matches their plan."
      />
      {(await searchParams).created ? (
        <Banner color="green">Policy created. Assign it to servers on their pages.</Banner>
      ) : null}
      {policies.length === 0 ? (
        <EmptyState title="No policies yet">
          A policy says how many days one-to-one and group messages are kept, when uploads expire,
          and that no client address or password may be logged.
        </EmptyState>
      ) : (
        <div className="grid gap-4 md:grid-cols-2">
          {policies.map((p) => (
            <Card key={p.id}>
              <div className="flex items-start justify-between gap-2">
                <h2 className="font-semibold">
                  {can(user, "policies.write") ? (
                    <Link
                      className="text-indigo-700 hover:underline"
                      href={`/console/policies/${p.id}`}
                    >
                      {p.name}
                    </Link>
                  ) : (
                    p.name
                  )}
                </h2>
                <span className="flex gap-1">
                  {p.noIpLogging ? (
                    <Badge color="green">no IPs</Badge>
                  ) : (
                    <Badge color="amber">IPs allowed</Badge>
                  )}
                </span>
              </div>
              <dl className="mt-3 grid grid-cols-2 gap-1 text-sm">
                <dt className="text-slate-500">One-to-one</dt>
                <dd>{p.mamRetentionDays === 0 ? "not archived" : `${p.mamRetentionDays} days`}</dd>
                <dt className="text-slate-500">Group chats</dt>
                <dd>{p.mucRetentionDays === 0 ? "not archived" : `${p.mucRetentionDays} days`}</dd>
                <dt className="text-slate-500">Uploads</dt>
                <dd>{p.uploadExpiryDays} days</dd>
                <dt className="text-slate-500">Log level</dt>
                <dd>{p.maxLogLevel} or quieter</dd>
                <dt className="text-slate-500">Forbidden</dt>
                <dd className="font-mono text-xs">{p.modules.join(" ") || "—"}</dd>
              </dl>
              <p className="mt-3 text-xs text-slate-600">
                Servers: {p.servers.length ? p.servers.map((s) => s.name).join(", ") : "none yet"}
              </p>
            </Card>
          ))}
        </div>
      )}
      {can(user, "policies.write") ? (
        <Card title="New policy" className="mt-6">
          <PolicyForm action={createPolicyAction} submit="Create policy" />
        </Card>
      ) : null}
    </>
  );
}
