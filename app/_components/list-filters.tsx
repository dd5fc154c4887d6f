import Link from "@/app/_components/link";

// The filter form of a console list: a plain GET form, so every filter lands in the URL (a
// shared link opens the same view) and works by keyboard without any script.

export type Select = {
  name: string;
  label: string;
  any: string;
  value?: string;
  options: { value: string; label: string }[];
};

// A free-text filter beside the search (an action's start, an actor's email).
type Text = { name: string; label: string; value?: string; placeholder: string };

// The status filter of a list: its values, each shown in words (lower case by default).
export function statusSelect<S extends string>(
  statuses: readonly S[],
  value?: string,
  label: (status: S) => string = (s) => s.toLowerCase().replace("_", " "),
): Select {
  return {
    name: "status",
    label: "Status",
    any: "Any status",
    value,
    options: statuses.map((s) => ({ value: s, label: label(s) })),
  };
}

// The server filter every list with servers offers.
export function serverSelect(servers: { id: string; name: string }[], value?: string): Select {
  return {
    name: "server",
    label: "Server",
    any: "Any server",
    value,
    options: servers.map((s) => ({ value: s.id, label: s.name })),
  };
}

const FIELD = "rounded-md border border-slate-300 px-3 py-2 text-sm";
const LABEL = "flex flex-col gap-1 text-xs font-medium text-slate-600";

// Label beside its control (not around it): the control's name is the label alone.
function Labelled({
  id,
  label,
  children,
}: {
  id: string;
  label: string;
  children: React.ReactNode;
}) {
  return (
    <div className={LABEL}>
      <label htmlFor={id}>{label}</label>
      {children}
    </div>
  );
}

export function ListFilters({
  path,
  searchLabel,
  searchPlaceholder,
  params,
  selects,
  texts = [],
  dateLabel = "Created",
  hidden,
}: {
  path: string;
  searchLabel: string;
  searchPlaceholder: string;
  params: { q?: string; match: "prefix" | "contains"; from?: string; to?: string };
  selects: Select[];
  texts?: Text[];
  // What the from/to dates bound: "Created" unless the list says.
  dateLabel?: string;
  hidden: Record<string, string | number | undefined>;
}) {
  return (
    <form className="mb-4 flex flex-wrap items-end gap-3" role="search" action={path}>
      <Labelled id="list-q" label={searchLabel}>
        <input
          id="list-q"
          name="q"
          type="search"
          defaultValue={params.q}
          placeholder={searchPlaceholder}
          className={`w-64 ${FIELD}`}
        />
      </Labelled>
      <Labelled id="list-match" label="Match">
        <select id="list-match" name="match" defaultValue={params.match} className={FIELD}>
          <option value="contains">contains</option>
          <option value="prefix">starts with</option>
        </select>
      </Labelled>
      {texts.map((t) => (
        <Labelled key={t.name} id={`list-${t.name}`} label={t.label}>
          <input
            id={`list-${t.name}`}
            name={t.name}
            defaultValue={t.value}
            placeholder={t.placeholder}
            className={`w-44 ${FIELD}`}
          />
        </Labelled>
      ))}
      {selects.map((s) => (
        <Labelled key={s.name} id={`list-${s.name}`} label={s.label}>
          <select
            id={`list-${s.name}`}
            name={s.name}
            defaultValue={s.value ?? ""}
            className={FIELD}
          >
            <option value="">{s.any}</option>
            {s.options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </Labelled>
      ))}
      <Labelled id="list-from" label={`${dateLabel} from`}>
        <input
          id="list-from"
          name="from"
          type="date"
          defaultValue={params.from}
          className={FIELD}
        />
      </Labelled>
      <Labelled id="list-to" label={`${dateLabel} to`}>
        <input id="list-to" name="to" type="date" defaultValue={params.to} className={FIELD} />
      </Labelled>
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
