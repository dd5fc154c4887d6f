import type { Metadata } from "next";
import Link from "@/app/_components/link";
import { guardPage } from "@/lib/auth/page-guard";
import { can } from "@/lib/auth/policy";
import {
  JOB_STATUSES,
  JOB_TYPE_FAMILIES,
  JOB_TYPE_NAMES,
  ZJobListParams,
  countJobsNeedingAttention,
  listJobs,
} from "@/lib/jobs/queries";
import { listServerNames } from "@/lib/servers/queries";
import { PAGE_SIZES } from "@/lib/tables/keyset";
import { DownloadLink, EmptyState, PageHeader } from "@/app/_components/ui";
import { AutoRefresh } from "@/app/_components/auto-refresh";
import { KeysetList, listHref } from "@/app/_components/data-table";
import { ListFilters, serverSelect, statusSelect } from "@/app/_components/list-filters";
import { JobActionForms, anyActive, jobColumns, jobLabel } from "./job-list";

export const metadata: Metadata = { title: "Jobs" };

const ATTENTION_LABELS = {
  PENDING: "waiting",
  RUNNING: "running",
  FAILED: "failed",
  CANCELLED: "cancelled",
} as const;

// The jobs that may need a look, each a link to its filtered list.
function Attention({
  counts,
  href,
  current,
}: {
  counts: Awaited<ReturnType<typeof countJobsNeedingAttention>>;
  href: (status: string) => string;
  current?: string;
}) {
  return (
    <nav aria-label="Jobs by status" className="mb-4 flex flex-wrap gap-2 text-sm">
      {counts.map(({ status, count }) => (
        <Link
          key={status}
          href={href(status)}
          aria-current={current === status ? "page" : undefined}
          className={`rounded-full px-3 py-1 ring-1 ring-slate-300 ${current === status ? "bg-indigo-50 font-semibold" : "bg-white"}`}
        >
          {count.exact ? "" : "over "}
          {count.value.toLocaleString("en")} {ATTENTION_LABELS[status]}
        </Link>
      ))}
    </nav>
  );
}

export default async function JobsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await guardPage("jobs.read", "/console/jobs");
  const params = ZJobListParams.parse(await searchParams);
  const [list, counts, servers] = await Promise.all([
    listJobs(user, params),
    countJobsNeedingAttention(user),
    listServerNames(),
  ]);
  const view = { ...params, dir: list.dir, size: params.size === 25 ? undefined : params.size };
  const href = (change: Record<string, string | number | undefined>) =>
    listHref("/console/jobs", view, change);
  const filtered = Boolean(
    params.q || params.status || params.type || params.server || params.customer,
  );
  return (
    <>
      <PageHeader
        title="Jobs"
        description="Provisioning work for the backing servers, kept in the database and retried until it succeeds: an outage or a restart loses nothing."
        actions={
          <DownloadLink href={listHref("/console/export/jobs", view, {})}>Export CSV</DownloadLink>
        }
      />
      <Attention
        counts={counts}
        current={params.status}
        href={(status) => listHref("/console/jobs", {}, { status })}
      />
      <ListFilters
        path="/console/jobs"
        searchLabel="Search jobs"
        searchPlaceholder="Job or subject id, type, error"
        params={params}
        hidden={{ sort: params.sort, dir: params.dir, size: view.size, customer: params.customer }}
        selects={[
          statusSelect(JOB_STATUSES, params.status),
          {
            name: "type",
            label: "Type",
            any: "Any type",
            value: params.type,
            options: [
              ...JOB_TYPE_FAMILIES.map((f) => ({ value: f, label: `${f}.* (all)` })),
              ...JOB_TYPE_NAMES.map((t) => ({ value: t, label: jobLabel(t) })),
            ],
          },
          serverSelect(servers, params.server),
        ]}
      />
      {params.customer ? (
        <p className="mb-3 text-sm text-slate-600">
          Only the jobs of one customer.{" "}
          <Link className="text-indigo-700 hover:underline" href={href({ customer: undefined })}>
            Show every customer’s
          </Link>
        </p>
      ) : null}
      {params.sort === "runAt" && !params.status ? (
        <p className="mb-3 text-sm text-slate-600">
          Sorted by when they run: only the jobs waiting or running are listed.
        </p>
      ) : null}
      {anyActive(list.rows) ? <AutoRefresh seconds={5} /> : null}
      {list.rows.length === 0 ? (
        <EmptyState title={filtered || params.after || params.before ? "No jobs match" : "No jobs"}>
          {filtered ? (
            <>
              Try fewer filters, or “contains” to search inside error messages.{" "}
              <Link className="text-indigo-700 underline" href="/console/jobs">
                Clear filters
              </Link>
            </>
          ) : (
            "Changes that must reach a server appear here while they run, with every retry."
          )}
        </EmptyState>
      ) : (
        <>
          <JobActionForms jobs={list.rows} canManage={can(user, "jobs.manage")} />
          <KeysetList
            caption="Jobs"
            noun={["job", "jobs"]}
            columns={jobColumns(can(user, "jobs.manage"))}
            list={list}
            size={params.size}
            sizes={PAGE_SIZES}
            href={href}
          />
        </>
      )}
    </>
  );
}
