import type { DriftReport } from "@/lib/servers/reconcile-job";
import { Banner, formatDateTime } from "@/app/_components/ui";

function List({ title, items }: { title: string; items: string[] }) {
  if (items.length === 0) return null;
  return (
    <div>
      <p className="font-medium">
        {title} ({items.length})
      </p>
      <ul className="ml-4 list-disc font-mono text-xs">
        {items.slice(0, 50).map((i) => (
          <li key={i}>{i}</li>
        ))}
      </ul>
      {items.length > 50 ? (
        <p className="text-xs text-slate-500">…and {items.length - 50} more</p>
      ) : null}
    </div>
  );
}

export function DriftReportView({ at, report }: { at: Date | null; report: DriftReport }) {
  const clean =
    !report.missingAccounts.length &&
    !report.missingRooms.length &&
    !report.unknownAccounts.length &&
    !report.unknownRooms.length &&
    !report.affiliationDrift.length;
  return (
    <div className="space-y-2 text-sm" data-testid="drift-report">
      <p className="text-slate-600">
        {report.mode === "repair" ? "Repair" : "Dry run"} at {formatDateTime(at)}:{" "}
        {report.checkedAccounts} accounts and {report.checkedRooms} rooms checked.
      </p>
      {report.aborted ? <Banner color="red">{report.aborted}</Banner> : null}
      {clean ? <p className="text-emerald-700">No drift: the server matches Parley.</p> : null}
      <List title="Missing on the server" items={report.missingAccounts} />
      <List title="Rooms missing on the server" items={report.missingRooms} />
      <List
        title="On the server but unknown to Parley (flagged, not deleted)"
        items={report.unknownAccounts}
      />
      <List title="Rooms unknown to Parley" items={report.unknownRooms} />
      <List
        title="Affiliation drift"
        items={report.affiliationDrift.map(
          (d) => `${d.room}: ${d.jid} is ${d.actual}, expected ${d.expected}`,
        )}
      />
      {report.repairsQueued ? <p>{report.repairsQueued} repair job(s) queued.</p> : null}
    </div>
  );
}
