"use client";
import { useEffect, useRef, useState } from "react";
import { useRouter } from "next/navigation";

// The live progress of a bulk operation: rows worked through in Parley, and the jobs they
// caused on the servers. Polls once a second until both are finished, then refreshes the page
// so the server renders the final summary.

type Progress = {
  status: string;
  expandedAt: string | null;
  total: number;
  done: number;
  skipped: number;
  failed: number;
  cancelled: number;
  jobs: { waiting: number; running: number; done: number; failed: number };
  settled: boolean;
};

function Bar({
  label,
  value,
  max,
  detail,
}: {
  label: string;
  value: number;
  max: number;
  detail: string;
}) {
  const percent = max > 0 ? Math.round((value / max) * 100) : 0;
  return (
    <div>
      <div className="mb-1 flex justify-between text-sm">
        <span className="font-medium text-slate-700">{label}</span>
        <span className="text-slate-500">{detail}</span>
      </div>
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={max}
        aria-valuenow={value}
        aria-valuetext={`${percent}%`}
        className="h-3 overflow-hidden rounded-full bg-slate-200"
      >
        <div className="h-full bg-indigo-600 transition-all" style={{ width: `${percent}%` }} />
      </div>
    </div>
  );
}

const n = (v: number) => v.toLocaleString("en");

export function BulkProgress({ id, initial }: { id: string; initial: Progress }) {
  const [progress, setProgress] = useState(initial);
  const [lost, setLost] = useState(false);
  const router = useRouter();
  const refreshed = useRef(initial.settled);
  useEffect(() => {
    if (progress.settled) {
      if (!refreshed.current) {
        refreshed.current = true;
        router.refresh();
      }
      return;
    }
    const timer = setTimeout(async () => {
      try {
        const response = await fetch(`/console/bulk/${id}/progress`, { cache: "no-store" });
        if (!response.ok) throw new Error(String(response.status));
        setProgress(await response.json());
        setLost(false);
      } catch {
        setLost(true);
        setProgress((p) => ({ ...p }));
      }
    }, 1000);
    return () => clearTimeout(timer);
  }, [id, progress, router]);

  const worked = progress.done + progress.skipped + progress.failed + progress.cancelled;
  const jobs = progress.jobs;
  const jobTotal = jobs.waiting + jobs.running + jobs.done + jobs.failed;
  return (
    <section
      aria-label="Progress"
      className="space-y-4"
      data-testid="bulk-progress"
      data-settled={progress.settled}
    >
      <Bar
        label="Rows worked through"
        value={worked}
        max={progress.total}
        detail={`${n(worked)} of ${n(progress.total)}${progress.expandedAt ? "" : " so far (still finding rows)"}`}
      />
      <Bar
        label="Done on the servers"
        value={jobs.done + jobs.failed}
        max={jobTotal}
        detail={
          jobTotal === 0
            ? "no server work"
            : `${n(jobs.done)} of ${n(jobTotal)}${jobs.failed ? `, ${n(jobs.failed)} failed` : ""}`
        }
      />
      <p role="status" className="text-sm text-slate-600" data-testid="bulk-status">
        {progress.settled
          ? `Finished: ${n(progress.done)} done, ${n(progress.skipped)} skipped, ${n(progress.failed)} failed${progress.cancelled ? `, ${n(progress.cancelled)} cancelled` : ""}.`
          : progress.status === "CANCELLING"
            ? "Stopping…"
            : "Working… you can leave this page; the work goes on."}
        {lost ? " (Lost contact with the console; retrying.)" : null}
      </p>
    </section>
  );
}
