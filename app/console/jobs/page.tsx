import type { Metadata } from "next";
import { guardPage } from "@/lib/auth/page-guard";
import { prisma } from "@/lib/db";
import { Badge, EmptyState, PageHeader, Table, Td, formatDateTime } from "@/app/_components/ui";

export const metadata: Metadata = { title: "Jobs" };

const COLORS = { PENDING: "indigo", RUNNING: "amber", SUCCEEDED: "green", FAILED: "red", CANCELLED: "slate" } as const;

export default async function JobsPage() {
  await guardPage("jobs.read", "/console/jobs");
  const jobs = await prisma.job.findMany({
    orderBy: { createdAt: "desc" }, take: 100,
    select: { id: true, type: true, status: true, attempts: true, maxAttempts: true, runAt: true, lastError: true, createdAt: true },
  });
  return (
    <>
      <PageHeader title="Jobs" description="Provisioning work queued for the backing servers; retried until it succeeds, so an outage loses nothing." />
      {jobs.length === 0 ? (
        <EmptyState title="The queue is empty">Jobs appear here when accounts, rooms or policies are changed on a server.</EmptyState>
      ) : (
        <Table head={["Job", "Status", "Attempts", "Next run", "Last error"]} caption="Jobs">
          {jobs.map((j) => (
            <tr key={j.id}>
              <Td className="font-mono text-xs">{j.type}</Td>
              <Td><Badge color={COLORS[j.status]}>{j.status.toLowerCase()}</Badge></Td>
              <Td>{j.attempts} / {j.maxAttempts}</Td>
              <Td>{formatDateTime(j.runAt)}</Td>
              <Td className="max-w-xs truncate text-xs text-slate-600">{j.lastError ?? "—"}</Td>
            </tr>
          ))}
        </Table>
      )}
    </>
  );
}
