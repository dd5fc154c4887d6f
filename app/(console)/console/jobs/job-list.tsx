import { ActionForm } from "@/app/_components/form";
import { Badge, EmptyState, Table, Td, formatDateTime } from "@/app/_components/ui";
import { AutoRefresh } from "@/app/_components/auto-refresh";
import { cancelJobAction, retryJobAction } from "./actions";

const COLORS = {
  PENDING: "indigo",
  RUNNING: "amber",
  SUCCEEDED: "green",
  FAILED: "red",
  CANCELLED: "slate",
} as const;
const LABELS: Record<string, string> = {
  "account.create": "Create account",
  "account.password": "Set password",
  "account.suspension": "Apply suspension",
  "account.delete": "Delete account",
  "account.kick": "End sessions",
  "account.recreate": "Recreate account",
  "room.create": "Create room",
  "room.affiliation": "Set room affiliation",
  "room.destroy": "Destroy room",
  "server.reconcile": "Reconcile server",
};

type JobRow = {
  id: string;
  type: string;
  status: keyof typeof COLORS;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  createdAt: Date;
  runAt: Date;
};

export function JobList({ jobs, canManage }: { jobs: JobRow[]; canManage: boolean }) {
  if (jobs.length === 0)
    return (
      <EmptyState title="No jobs">
        Changes that must reach a server appear here while they run, with every retry.
      </EmptyState>
    );
  const active = jobs.some((j) => j.status === "PENDING" || j.status === "RUNNING");
  return (
    <>
      {active ? <AutoRefresh seconds={2} /> : null}
      <Table head={["Job", "Status", "Attempts", "When", "Last error", ""]} caption="Jobs">
        {jobs.map((j) => (
          <tr key={j.id} data-testid={`job-${j.status.toLowerCase()}`}>
            <Td>
              {LABELS[j.type] ?? j.type}
              <div className="font-mono text-xs text-slate-400">{j.id.slice(-8)}</div>
            </Td>
            <Td>
              <Badge color={COLORS[j.status]}>
                {j.status === "PENDING" && j.attempts > 0
                  ? "waiting to retry"
                  : j.status.toLowerCase()}
              </Badge>
            </Td>
            <Td>
              {j.attempts} / {j.maxAttempts}
            </Td>
            <Td className="whitespace-nowrap text-xs">
              {j.status === "PENDING"
                ? `next ${formatDateTime(j.runAt)}`
                : formatDateTime(j.createdAt)}
            </Td>
            <Td className="max-w-xs text-xs text-slate-600">{j.lastError ?? "—"}</Td>
            <Td>
              {canManage && (j.status === "FAILED" || j.status === "CANCELLED") ? (
                <ActionForm
                  action={retryJobAction}
                  submit="Retry"
                  variant="secondary"
                  hidden={{ jobId: j.id }}
                  className="flex"
                />
              ) : null}
              {canManage && (j.status === "PENDING" || j.status === "RUNNING") ? (
                <ActionForm
                  action={cancelJobAction}
                  submit="Cancel"
                  variant="secondary"
                  hidden={{ jobId: j.id }}
                  className="flex"
                />
              ) : null}
            </Td>
          </tr>
        ))}
      </Table>
    </>
  );
}
