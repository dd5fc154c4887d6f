// A picture of how much of a limit is used; the numbers are in the label too.
export function UsageBar({ label, used, limit }: { label: string; used: number; limit: number }) {
  const pct = limit === 0 ? 100 : Math.min(100, Math.round((used / limit) * 100));
  const color = used > limit ? "bg-rose-500" : pct >= 80 ? "bg-amber-500" : "bg-indigo-500";
  return (
    <div>
      <div className="flex justify-between text-xs text-slate-600">
        <span>{label}</span>
        <span>
          {used} of {limit}
        </span>
      </div>
      <div
        role="meter"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={limit}
        aria-valuenow={used}
        className="mt-1 h-2 rounded-full bg-slate-100"
      >
        <div className={`h-2 rounded-full ${color}`} style={{ width: `${pct}%` }} />
      </div>
    </div>
  );
}
