import type { Metadata } from "next";
import Link from "@/app/_components/link";
import { guardPage } from "@/lib/auth/page-guard";
import { listBulkOperations } from "@/lib/bulk/queries";
import { Badge, EmptyState, PageHeader, Table, Td, formatDateTime } from "@/app/_components/ui";

export const metadata: Metadata = { title: "Bulk operations" };

const COLORS = {
  PENDING: "indigo",
  RUNNING: "amber",
  CANCELLING: "amber",
  CANCELLED: "slate",
  DONE: "green",
} as const;

export default async function BulkOperationsPage() {
  const user = await guardPage("console.view", "/console/bulk");
  const operations = await listBulkOperations(user);
  return (
    <>
      <PageHeader
        title="Bulk operations"
        description="Work on many customers or accounts at once. Start one from the customers or accounts list: tick rows, or choose every row matching the filter."
      />
      {operations.length === 0 ? (
        <EmptyState title="No bulk operations yet">
          Filter the{" "}
          <Link className="text-indigo-700 underline" href="/console/accounts">
            accounts
          </Link>{" "}
          or{" "}
          <Link className="text-indigo-700 underline" href="/console/customers">
            customers
          </Link>
          , tick rows or choose every match, then pick an action.
        </EmptyState>
      ) : (
        <Table
          head={["Operation", "Status", "Done", "Failed", "Started"]}
          caption="Bulk operations"
        >
          {operations.map((o) => (
            <tr key={o.id}>
              <Td>
                <Link className="text-indigo-700 hover:underline" href={`/console/bulk/${o.id}`}>
                  {o.label}: {o.total.toLocaleString("en")} {o.target}
                </Link>
              </Td>
              <Td>
                <Badge color={COLORS[o.status]}>{o.status.toLowerCase()}</Badge>
              </Td>
              <Td>{(o.done + o.skipped).toLocaleString("en")}</Td>
              <Td>{o.failed.toLocaleString("en")}</Td>
              <Td className="whitespace-nowrap text-xs">{formatDateTime(o.createdAt)}</Td>
            </tr>
          ))}
        </Table>
      )}
    </>
  );
}
