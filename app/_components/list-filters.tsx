import Link from "next/link";

// The filter form of a console list: a plain GET form, so every filter lands in the URL (a
// shared link opens the same view) and works by keyboard without any script.

type Select = {
  name: string;
  label: string;
  any: string;
  value?: string;
  options: { value: string; label: string }[];
};

const FIELD = "rounded-md border border-slate-300 px-3 py-2 text-sm";
const LABEL = "flex flex-col gap-1 text-xs font-medium text-slate-600";

export function ListFilters({
  path,
  searchLabel,
  searchPlaceholder,
  params,
  selects,
  hidden,
}: {
  path: string;
  searchLabel: string;
  searchPlaceholder: string;
  params: { q?: string; match: "prefix" | "contains"; from?: string; to?: string };
  selects: Select[];
  hidden: Record<string, string | number | undefined>;
}) {
  return (
    <form className="mb-4 flex flex-wrap items-end gap-3" role="search" action={path}>
      <label className={LABEL}>
        {searchLabel}
        <input
          name="q"
          type="search"
          defaultValue={params.q}
          placeholder={searchPlaceholder}
          className={`w-64 ${FIELD}`}
        />
      </label>
      <label className={LABEL}>
        Match
        <select name="match" defaultValue={params.match} className={FIELD}>
          <option value="contains">contains</option>
          <option value="prefix">starts with</option>
        </select>
      </label>
      {selects.map((s) => (
        <label key={s.name} className={LABEL}>
          {s.label}
          <select name={s.name} defaultValue={s.value ?? ""} className={FIELD}>
            <option value="">{s.any}</option>
            {s.options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
      ))}
      <label className={LABEL}>
        Created from
        <input name="from" type="date" defaultValue={params.from} className={FIELD} />
      </label>
      <label className={LABEL}>
        Created to
        <input name="to" type="date" defaultValue={params.to} className={FIELD} />
      </label>
      {Object.entries(hidden).map(([k, v]) =>
        v === undefined ? null : <input key={k} type="hidden" name={k} value={String(v)} />,
      )}
      <button className="rounded-md bg-white px-3 py-2 text-sm font-semibold ring-1 ring-slate-300 hover:bg-slate-50">
        Apply
      </button>
      <Link className="py-2 text-sm text-indigo-700 hover:underline" href={path}>
        Clear
      </Link>
    </form>
  );
}
