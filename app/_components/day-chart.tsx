import { scaleBand, scaleLinear } from "d3-scale";
import type { DayCount } from "@/lib/dashboard/queries";

const W = 320;
const H = 120;
const PAD = { top: 8, right: 4, bottom: 18, left: 28 };

// A bar chart of counts per day, drawn as SVG on the server (no client JavaScript), with a
// title and description for screen readers; DayTable gives the same figures as a table.
export function DayChart({
  id,
  title,
  points,
  color = "#4f46e5",
}: {
  id: string;
  title: string;
  points: DayCount[];
  color?: string;
}) {
  const total = points.reduce((n, p) => n + p.count, 0);
  const max = Math.max(1, ...points.map((p) => p.count));
  const x = scaleBand<string>()
    .domain(points.map((p) => p.day))
    .range([PAD.left, W - PAD.right])
    .padding(0.2);
  const y = scaleLinear()
    .domain([0, max])
    .nice(3)
    .range([H - PAD.bottom, PAD.top]);
  const ticks = y.ticks(3).filter((t) => Number.isInteger(t));
  const first = points[0]?.day ?? "";
  const last = points.at(-1)?.day ?? "";
  const peak = points.reduce(
    (a, p) => (p.count > a.count ? p : a),
    points[0] ?? { day: "", count: 0 },
  );
  return (
    <figure data-testid={`chart-${id}`}>
      <figcaption className="mb-1 flex justify-between text-sm">
        <span className="font-medium">{title}</span>
        <span className="text-slate-600">
          {total} in {points.length} days
        </span>
      </figcaption>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        className="h-auto w-full"
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
      >
        <title id={`${id}-title`}>{`${title} per day, ${first} to ${last}`}</title>
        <desc id={`${id}-desc`}>
          {total === 0
            ? "None in this period."
            : `${total} in all; the most on ${peak.day} (${peak.count}).`}
        </desc>
        {ticks.map((t) => (
          <g key={t}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} stroke="#e2e8f0" />
            <text x={PAD.left - 4} y={y(t) + 3} textAnchor="end" fontSize="9" fill="#64748b">
              {t}
            </text>
          </g>
        ))}
        {points.map((p) => (
          <rect
            key={p.day}
            x={x(p.day)}
            y={y(p.count)}
            width={x.bandwidth()}
            height={H - PAD.bottom - y(p.count)}
            fill={color}
          >
            <title>{`${p.day}: ${p.count}`}</title>
          </rect>
        ))}
        <text x={PAD.left} y={H - 4} fontSize="9" fill="#64748b">
          {first.slice(5)}
        </text>
        <text x={W - PAD.right} y={H - 4} fontSize="9" fill="#64748b" textAnchor="end">
          {last.slice(5)}
        </text>
      </svg>
    </figure>
  );
}

// Several charts' figures as one table, a column per chart (one table rather than one per
// chart: the dashboard's charts were half its elements). Every series covers the same days.
export function DayTable({ series }: { series: { title: string; points: DayCount[] }[] }) {
  const days = series[0]?.points.map((p) => p.day) ?? [];
  return (
    <details className="mt-4 text-xs text-slate-600" data-testid="charts-table">
      <summary className="cursor-pointer">Show these days as a table</summary>
      <table className="mt-1 w-full">
        <caption className="sr-only">Per day, last {days.length} days</caption>
        <thead>
          <tr>
            <th scope="col" className="text-left">
              Day
            </th>
            {series.map((s) => (
              <th key={s.title} scope="col" className="text-right">
                {s.title}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="[&_td]:text-right">
          {days.map((day, i) => (
            <tr key={day}>
              <th scope="row" className="text-left font-normal">
                {day}
              </th>
              {series.map((s) => (
                <td key={s.title}>{s.points[i]?.count ?? 0}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
