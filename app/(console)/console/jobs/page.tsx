import type { Metadata } from "next";
import { guardPage } from "@/lib/auth/page-guard";
import { can } from "@/lib/auth/policy";
import { JOB_STATUSES, countJobsByStatus, listJobs } from "@/lib/jobs/queries";
import { PageHeader } from "@/app/_components/ui";
import { JobList } from "./job-list";

export const metadata: Metadata = { title: "Jobs" };

export default async function JobsPage({
  searchParams,
}: {
  searchParams: Promise<{ status?: string }>;
}) {
  const user = await guardPage("jobs.read", "/console/jobs");
  const wanted = (await searchParams).status;
  const status = JOB_STATUSES.find((s) => s === wanted);
  const [jobs, counts] = await Promise.all([listJobs(user, { status }), countJobsByStatus(user)]);
  const count = (s: (typeof JOB_STATUSES)[number]) => counts.byStatus[s] ?? 0;
  const total = counts.total;
  const done = count("SUCCEEDED") + count("FAILED") + count("CANCELLED");
  return (
    <>
      <PageHeader
        title="Jobs"
        description="Provisioning work for the backing servers, kept in the database and retried until it succeeds: an outage or a restart loses nothing."
      />
      {total > 0 ? (
        <div className="mb-4">
          <div className="mb-1 flex justify-between text-xs text-slate-600">
            <span>
              {done} of {total} finished
            </span>
            <span>
              {count("PENDING") + count("RUNNING")} waiting or running · {count("FAILED")} failed
            </span>
          </div>
          <div
            role="progressbar"
            aria-valuemin={0}
            aria-valuemax={total}
            aria-valuenow={done}
            aria-label="Jobs finished"
            className="flex h-2 overflow-hidden rounded-full bg-slate-100"
          >
            <div
              className="bg-emerald-500"
              style={{ width: `${(count("SUCCEEDED") / total) * 100}%` }}
            />
            <div className="bg-rose-500" style={{ width: `${(count("FAILED") / total) * 100}%` }} />
            <div
              className="bg-slate-400"
              style={{ width: `${(count("CANCELLED") / total) * 100}%` }}
            />
          </div>
        </div>
      ) : null}
      <nav aria-label="Filter jobs" className="mb-4 flex flex-wrap gap-2 text-sm">
        <a
          href="/console/jobs"
          aria-current={!status ? "page" : undefined}
          className={`rounded-full px-3 py-1 ring-1 ring-slate-300 ${!status ? "bg-indigo-50 font-semibold" : "bg-white"}`}
        >
          All ({total})
        </a>
        {JOB_STATUSES.map((s) => (
          <a
            key={s}
            href={`/console/jobs?status=${s}`}
            aria-current={status === s ? "page" : undefined}
            className={`rounded-full px-3 py-1 ring-1 ring-slate-300 ${status === s ? "bg-indigo-50 font-semibold" : "bg-white"}`}
          >
            {s.toLowerCase()} ({count(s)})
          </a>
        ))}
      </nav>
      <JobList jobs={jobs} canManage={can(user, "jobs.manage")} />
    </>
  );
}
