import { Badge, formatDateTime } from "@/app/_components/ui";
import { gradeColor, LiveTls } from "@/app/_components/live-tls";
import type { LiveReport } from "@/lib/evaluation/queries";

type Configured = { xep: string; name: string; offered: boolean | null }[];

const mark = (v: boolean | null | undefined) => (v === true ? "✓" : v === false ? "✗" : "?");

function Features({ report, configured }: { report: LiveReport; configured: Configured }) {
  const live = report.latest?.features.live ?? [];
  const rows = (live.length ? live : configured).map((f) => ({
    xep: f.xep,
    name: f.name,
    configured: configured.find((c) => c.xep === f.xep)?.offered ?? null,
    live: live.find((l) => l.xep === f.xep),
  }));
  return (
    <table className="w-full text-sm" data-testid="live-features">
      <thead className="text-left text-xs text-slate-500">
        <tr>
          <th className="py-1">Feature</th>
          <th>Configured</th>
          <th>Observed live</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.xep} className="border-t border-slate-100" data-testid={`live-${r.xep}`}>
            <td className="py-1">
              {r.name} <span className="text-xs text-slate-500">({r.xep})</span>
            </td>
            <td>{mark(r.configured)}</td>
            <td title={r.live?.evidence ?? undefined}>
              {r.live ? mark(r.live.observed) : "?"}
              {r.live?.evidence ? (
                <span className="ml-1 text-xs text-slate-500">{r.live.evidence}</span>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Suites({ report }: { report: LiveReport }) {
  const suites = report.latest?.features.suites ?? [];
  if (!suites.length) return null;
  return (
    <ul className="grid gap-1 text-sm sm:grid-cols-2" data-testid="live-suites">
      {suites.map((s) => {
        const missing = s.requirements.filter((q) => q.met === false);
        return (
          <li key={`${s.category}-${s.level}`}>
            {s.met ? "✓" : "✗"} {s.category} {s.level}
            {missing.length ? (
              <span className="text-xs text-slate-500">
                {" "}
                (missing {missing.map((q) => q.spec).join(", ")})
              </span>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}

// The live evaluation beside the configured view: what a client and another server meet now.
export function LiveEvaluation({
  report,
  configured,
}: {
  report: LiveReport;
  configured: Configured;
}) {
  const latest = report.latest;
  const state = !latest ? "not checked" : latest.stale ? "stale" : latest.status;
  return (
    <article className="space-y-4" data-testid="live-evaluation">
      <header className="flex flex-wrap items-center gap-2">
        <h2 className="text-lg font-semibold">Observed live from outside</h2>
        <Badge
          color={
            state === "ok"
              ? "green"
              : state === "partial" || state === "stale"
                ? "amber"
                : state === "failed"
                  ? "red"
                  : "slate"
          }
        >
          {state}
        </Badge>
        {latest?.grade ? <Badge color={gradeColor(latest.grade)}>TLS {latest.grade}</Badge> : null}
        {report.pending ? <Badge color="indigo">check queued</Badge> : null}
      </header>
      <p className="text-sm text-slate-600">
        {latest ? `Observed ${formatDateTime(latest.at)}` : "Not observed yet"}
        {report.host ? ` at ${report.host}` : ""}
        {latest?.stale
          ? " — older than two scheduled runs: the last checks did not finish."
          : "."}{" "}
        {report.probe ? (
          <>
            Signs in as{" "}
            <span className="font-mono" data-testid="probe-account">
              {report.probe.address}
            </span>
            , Parley’s probe account (not a customer’s; counts against no seats).
          </>
        ) : null}
      </p>
      {latest?.error ? (
        <p className="text-sm text-rose-700" data-testid="live-error">
          {latest.error}
        </p>
      ) : null}
      <section>
        <h3 className="mb-1 font-semibold">Features</h3>
        <Features report={report} configured={configured} />
        <p className="mt-1 text-xs text-slate-500">
          Configured: what the loaded modules provide, from the last policy check (? until one ran).
          Observed live: what the server advertised to the probe, and where.
        </p>
      </section>
      <section>
        <h3 className="mb-1 font-semibold">Compliance suites (XEP-0479, 2023)</h3>
        <Suites report={report} />
      </section>
      <section>
        <h3 className="mb-1 font-semibold">TLS</h3>
        <LiveTls ports={latest?.ports ?? []} />
      </section>
    </article>
  );
}
