import Link from "@/app/_components/link";
import { createColumnHelper } from "@tanstack/react-table";
import { RowActionForm } from "@/app/_components/row-action-form";
import { submitButtonClass } from "@/app/_components/button-class";
import { Badge, EmptyState, Table, Td, formatDateTime } from "@/app/_components/ui";
import { AutoRefresh } from "@/app/_components/auto-refresh";
import { cancelJobAction, retryJobAction } from "./actions";

// A job's cells, shared by the console's job table and the short histories on the pages of
// accounts, rooms and servers.

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

export const jobLabel = (type: string) => LABELS[type] ?? type;

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
type ListedJob = JobRow & { subjectId: string | null; finishedAt: Date | null };

const isActive = (j: { status: string }) => j.status === "PENDING" || j.status === "RUNNING";
export const anyActive = (jobs: { status: string }[]) => jobs.some(isActive);

function JobStatus({ job: j }: { job: JobRow }) {
  return (
    <Badge color={COLORS[j.status]}>
      {j.status === "PENDING" && j.attempts > 0 ? "waiting to retry" : j.status.toLowerCase()}
    </Badge>
  );
}

// Retry or cancel: a plain button submitting one of the page's two shared forms
// (JobActionForms) with this job's id, so a 25-row page carries no form per row.
const RETRY_FORM = "job-retry";
const CANCEL_FORM = "job-cancel";

// The button a job's row offers: Retry once it failed or was cancelled, Cancel while it waits
// or runs.
function rowAction(j: { status: string }): [form: string, label: string] | null {
  if (j.status === "FAILED" || j.status === "CANCELLED") return [RETRY_FORM, "Retry"];
  return isActive(j) ? [CANCEL_FORM, "Cancel"] : null;
}

function JobActions({ job: j, canManage }: { job: JobRow; canManage: boolean }) {
  const action = canManage ? rowAction(j) : null;
  if (!action) return null;
  const [form, label] = action;
  return (
    <button
      type="submit"
      form={form}
      name="jobId"
      value={j.id}
      aria-label={`${label} job ${j.id.slice(-8)}`}
      className={submitButtonClass("secondary")}
    >
      {label}
    </button>
  );
}

// Once on each page that shows JobActions, where their answers appear; none when no row has
// a button.
export function JobActionForms({
  jobs,
  canManage,
}: {
  jobs: { status: string }[];
  canManage: boolean;
}) {
  if (!canManage || !jobs.some(rowAction)) return null;
  return (
    <>
      <RowActionForm id={RETRY_FORM} action={retryJobAction} />
      <RowActionForm
        id={CANCEL_FORM}
        action={cancelJobAction}
        confirm="Cancel this job? Its change will not reach the server."
      />
    </>
  );
}

// Where a job's subject has a page of its own.
function subjectHref(j: ListedJob): string | null {
  if (!j.subjectId) return null;
  const family = j.type.split(".")[0];
  if (family === "account") return `/console/accounts/${j.subjectId}`;
  if (family === "room") return `/console/rooms/${j.subjectId}`;
  if (family === "server") return `/console/servers/${j.subjectId}`;
  return null;
}

const col = createColumnHelper<ListedJob>();

// The console's job table: sortable by created time and (work still to do) next run.
export function jobColumns(canManage: boolean) {
  return [
    col.accessor("type", {
      header: "Job",
      cell: ({ row: { original: j } }) => {
        const href = subjectHref(j);
        return (
          <>
            {jobLabel(j.type)}
            <div className="font-mono text-xs text-slate-500">
              <span title={j.id}>{j.id.slice(-8)}</span>
              {href ? (
                <>
                  {" · "}
                  <Link className="text-indigo-700 hover:underline" href={href}>
                    {j.type.split(".")[0]} {j.subjectId!.slice(-8)}
                  </Link>
                </>
              ) : null}
            </div>
          </>
        );
      },
    }),
    col.accessor("status", {
      header: "Status",
      cell: ({ row: { original: j } }) => <JobStatus job={j} />,
    }),
    col.accessor("attempts", {
      header: "Attempts",
      cell: ({ row: { original: j } }) => `${j.attempts} / ${j.maxAttempts}`,
    }),
    col.accessor("createdAt", {
      header: "Created",
      meta: { sortKey: "created" },
      cell: ({ getValue }) => formatDateTime(getValue()),
    }),
    col.accessor("runAt", {
      header: "Runs at",
      meta: { sortKey: "runAt" },
      cell: ({ getValue }) => formatDateTime(getValue()),
    }),
    col.accessor("finishedAt", {
      header: "Finished",
      cell: ({ getValue }) => formatDateTime(getValue()),
    }),
    col.accessor("lastError", {
      header: "Last error",
      cell: ({ getValue }) => (
        <span className="block max-w-xs text-xs text-slate-600">{getValue() ?? "—"}</span>
      ),
    }),
    col.display({
      id: "actions",
      header: () => <span className="sr-only">Actions</span>,
      cell: ({ row: { original: j } }) => <JobActions job={j} canManage={canManage} />,
    }),
  ];
}

// A short job history (an account's, a room's, a server's), newest first.
export function JobList({ jobs, canManage }: { jobs: JobRow[]; canManage: boolean }) {
  if (jobs.length === 0)
    return (
      <EmptyState title="No jobs">
        Changes that must reach a server appear here while they run, with every retry.
      </EmptyState>
    );
  return (
    <>
      {anyActive(jobs) ? <AutoRefresh seconds={2} /> : null}
      <JobActionForms jobs={jobs} canManage={canManage} />
      <Table head={["Job", "Status", "Attempts", "When", "Last error", ""]} caption="Jobs">
        {jobs.map((j) => (
          <tr key={j.id} data-testid={`job-${j.status.toLowerCase()}`}>
            <Td>
              {jobLabel(j.type)}
              <div className="font-mono text-xs text-slate-400">{j.id.slice(-8)}</div>
            </Td>
            <Td>
              <JobStatus job={j} />
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
              <JobActions job={j} canManage={canManage} />
            </Td>
          </tr>
        ))}
      </Table>
    </>
  );
}
