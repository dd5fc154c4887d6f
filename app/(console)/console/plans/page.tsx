import type { Metadata } from "next";
import Link from "@/app/_components/link";
import { guardPage } from "@/lib/auth/page-guard";
import { can } from "@/lib/auth/policy";
import { listPlansWithCustomers } from "@/lib/plans/queries";
import { FigureAge } from "@/app/_components/figure-age";
import { Badge, Banner, ButtonLink, EmptyState, PageHeader, Table, Td } from "@/app/_components/ui";

export const metadata: Metadata = { title: "Plans" };

export default async function PlansPage({
  searchParams,
}: {
  searchParams: Promise<{ created?: string }>;
}) {
  const user = await guardPage("plans.read", "/console/plans");
  const { plans, counted } = await listPlansWithCustomers();
  const canWrite = can(user, "plans.write");
  return (
    <>
      <PageHeader
        title="Plans"
        description="What a customer may use: seats (XMPP accounts), rooms and how long messages are kept."
        actions={canWrite ? <ButtonLink href="/console/plans/new">New plan</ButtonLink> : null}
      />
      {(await searchParams).created ? <Banner color="green">Plan created.</Banner> : null}
      {plans.length === 0 ? (
        <EmptyState
          title="No plans yet"
          action={
            canWrite ? <ButtonLink href="/console/plans/new">Create a plan</ButtonLink> : null
          }
        >
          Plans set each customer&apos;s limits. Later they can be linked to Stripe prices.
        </EmptyState>
      ) : (
        <>
          <Table
            head={["Plan", "Seats", "Rooms", "Retention", "Price", "Customers"]}
            caption="Plans"
          >
            {plans.map((p) => (
              <tr key={p.id}>
                <Td>
                  {canWrite ? (
                    <Link
                      className="font-medium text-indigo-700 hover:underline"
                      href={`/console/plans/${p.id}`}
                    >
                      {p.name}
                    </Link>
                  ) : (
                    p.name
                  )}
                  {p.archivedAt ? (
                    <>
                      {" "}
                      <Badge>archived</Badge>
                    </>
                  ) : null}
                  {p.description ? (
                    <div className="text-xs text-slate-500">{p.description}</div>
                  ) : null}
                </Td>
                <Td>{p.seats}</Td>
                <Td>{p.rooms}</Td>
                <Td>{p.retentionDays === 0 ? "not archived" : `${p.retentionDays} days`}</Td>
                <Td>
                  {p.priceCents != null ? `${(p.priceCents / 100).toFixed(2)} ${p.currency}` : "—"}
                </Td>
                <Td>{p.customers}</Td>
              </tr>
            ))}
          </Table>
          <FigureAge figure={counted} what="Customer counts" />
        </>
      )}
    </>
  );
}
