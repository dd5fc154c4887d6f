import { Badge, formatDateTime } from "@/app/_components/ui";
import type { ReportView } from "@/lib/compliance/queries";

type Evidence =
  { kind?: string; file?: string; line?: number; lineHmac?: string; masked?: string } | string;

function EvidenceList({ items }: { items: Evidence[] }) {
  if (!items.length) return null;
  return (
    <ul className="mt-2 space-y-1 font-mono text-xs text-slate-700">
      {items.slice(0, 20).map((e, i) => (
        <li key={i} className="break-all">
          {typeof e === "string" ? (
            e
          ) : (
            <>
              {e.file}:{e.line}{" "}
              <span className="text-slate-500">
                [{e.kind}, line hash {e.lineHmac?.slice(0, 12)}]
              </span>{" "}
              {e.masked}
            </>
          )}
        </li>
      ))}
      {items.length > 20 ? <li className="text-slate-500">…and {items.length - 20} more</li> : null}
    </ul>
  );
}

// The same report for staff and, through a shared link, for customers; evidence is redacted at source.
export function ComplianceReport({ report }: { report: ReportView }) {
  const color =
    report.status === "compliant" ? "green" : report.status === "drifted" ? "red" : "slate";
  return (
    <article className="space-y-6 print:text-black" data-testid="compliance-report">
      <header className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold">Privacy compliance: {report.server.domain}</h1>
          <p className="text-sm text-slate-600">
            {report.server.kind} server “{report.server.name}” · checked{" "}
            {formatDateTime(report.checkedAt)}
          </p>
          {report.configHash ? (
            <p className="mt-1 font-mono text-xs text-slate-500">
              Configuration in force: sha256 {report.configHash}
            </p>
          ) : null}
        </div>
        <Badge color={color}>{report.status}</Badge>
      </header>
      {report.policy ? (
        <section className="rounded-xl border border-slate-200 bg-white p-4 text-sm">
          <h2 className="mb-1 font-semibold">Policy “{report.policy.name}”</h2>
          <p>
            One-to-one messages kept{" "}
            {report.policy.mamRetentionDays === 0
              ? "not at all"
              : `${report.policy.mamRetentionDays} days`}
            ; group chats{" "}
            {report.policy.mucRetentionDays === 0
              ? "not at all"
              : `${report.policy.mucRetentionDays} days`}
            ; uploads {report.policy.uploadExpiryDays} days.{" "}
            {report.policy.noIpLogging ? "No IP addresses in logs." : ""} Log level{" "}
            {report.policy.maxLogLevel} or quieter.
          </p>
        </section>
      ) : null}
      <section>
        <h2 className="mb-2 font-semibold">Checks</h2>
        <ul className="space-y-2">
          {report.checks.map((c) => (
            <li
              key={c.name}
              className="rounded-lg border border-slate-200 bg-white p-3 text-sm"
              data-testid={`check-${c.name}`}
            >
              <div className="flex items-center gap-2">
                <Badge color={c.passed === true ? "green" : c.passed === false ? "red" : "slate"}>
                  {c.passed === true ? "pass" : c.passed === false ? "fail" : "unknown"}
                </Badge>
                <span className="font-medium">{c.name}</span>
              </div>
              <p className="mt-1 text-slate-700">{c.summary}</p>
              <EvidenceList items={(c.evidence ?? []) as Evidence[]} />
            </li>
          ))}
        </ul>
      </section>
      {report.features.length ? (
        <section>
          <h2 className="mb-2 font-semibold">Features configured (from the modules it loads)</h2>
          <ul className="grid grid-cols-1 gap-1 text-sm sm:grid-cols-2">
            {report.features.map((f) => (
              <li key={f.xep}>
                {f.offered === true ? "✓" : f.offered === false ? "✗" : "?"} {f.name}{" "}
                <span className="text-xs text-slate-500">({f.xep})</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <p className="text-xs text-slate-500">
        Evidence never contains an address: each finding names the file and line, a keyed hash of
        the line and the line with addresses and passwords masked.
      </p>
    </article>
  );
}
