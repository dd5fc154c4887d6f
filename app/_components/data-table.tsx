import Link from "@/app/_components/link";
import { createTable, flexRender, getCoreRowModel, type ColumnDef } from "@tanstack/react-table";

// A server-rendered table over @tanstack/react-table's column model: no client state, so the
// page ships no table JavaScript. Sorting is the server's (keyset pages): a sortable header is a
// link to the same view sorted by it, with aria-sort telling which column orders the rows.

// `newestFirst`: the first click sorts descending (dates people want latest first).
export type SortMeta = { sortKey?: string; newestFirst?: boolean };

export function DataTable<T>({
  caption,
  columns,
  data,
  rowId,
  sort,
  dir,
  sortHref,
  rowTestId,
}: {
  caption: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  columns: ColumnDef<T, any>[];
  data: T[];
  rowId: (row: T) => string;
  sort: string;
  dir: "asc" | "desc";
  sortHref: (sort: string, dir: "asc" | "desc") => string;
  rowTestId?: string;
}) {
  const table = createTable<T>({
    data,
    columns,
    getCoreRowModel: getCoreRowModel(),
    getRowId: rowId,
    state: {},
    onStateChange: () => undefined,
    renderFallbackValue: null,
  });
  table.setOptions((prev) => ({ ...prev, state: table.initialState }));
  return (
    <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
      {/* Cell padding set once here rather than on each of a page's hundreds of cells. */}
      <table className="min-w-full divide-y divide-slate-200 text-sm [&_td]:px-4 [&_td]:py-2.5 [&_td]:align-top">
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-slate-50">
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => {
                const meta = header.column.columnDef.meta as SortMeta | undefined;
                const key = meta?.sortKey;
                const firstDir = key === "created" || meta?.newestFirst ? "desc" : "asc";
                const label = flexRender(header.column.columnDef.header, header.getContext());
                const active = key !== undefined && key === sort;
                const nextDir = active && dir === "asc" ? "desc" : "asc";
                return (
                  <th
                    key={header.id}
                    scope="col"
                    aria-sort={
                      active
                        ? dir === "asc"
                          ? "ascending"
                          : "descending"
                        : key
                          ? "none"
                          : undefined
                    }
                    className="px-4 py-2.5 text-left font-semibold text-slate-700"
                  >
                    {key ? (
                      <Link
                        href={sortHref(key, active ? nextDir : firstDir)}
                        className="inline-flex items-center gap-1 hover:underline focus:underline"
                      >
                        {label}
                        <span aria-hidden="true" className="text-slate-400">
                          {active ? (dir === "asc" ? "↑" : "↓") : "↕"}
                        </span>
                      </Link>
                    ) : (
                      label
                    )}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody className="divide-y divide-slate-100">
          {table.getRowModel().rows.map((row) => (
            <tr key={row.id} data-testid={rowTestId}>
              {row.getVisibleCells().map((cell) => (
                <td key={cell.column.id}>
                  {flexRender(cell.column.columnDef.cell, cell.getContext())}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

// "1,234 customers", or "more than 10,000 customers" when the count stopped at its cap.
export function ListCount({
  count,
  noun,
}: {
  count: { value: number; exact: boolean };
  noun: [string, string];
}) {
  const n = count.value.toLocaleString("en");
  const word = count.value === 1 && count.exact ? noun[0] : noun[1];
  return (
    <p className="mb-2 text-xs text-slate-500" data-testid="list-count">
      {count.exact ? `${n} ${word}` : `More than ${n} ${word}`}
    </p>
  );
}

// Previous / next links for keyset pages, and the page size choice (plain links, no script).
export function KeysetNav({
  prev,
  next,
  size,
  sizes,
  hrefFor,
}: {
  prev: string | null;
  next: string | null;
  size: number;
  sizes: readonly number[];
  hrefFor: (change: { after?: string; before?: string; size?: number }) => string;
}) {
  return (
    <nav
      aria-label="Pagination"
      className="mt-4 flex flex-wrap items-center justify-between gap-3 text-sm"
    >
      {prev ? (
        <Link
          className="text-indigo-700 hover:underline"
          href={hrefFor({ before: prev })}
          rel="prev"
        >
          ← Previous
        </Link>
      ) : (
        <span className="text-slate-400">← Previous</span>
      )}
      <span className="text-slate-600">
        Rows per page:{" "}
        {sizes.map((s) =>
          s === size ? (
            <span key={s} aria-current="true" className="mx-1 font-semibold">
              {s}
            </span>
          ) : (
            <Link
              key={s}
              className="mx-1 text-indigo-700 hover:underline"
              href={hrefFor({ size: s })}
            >
              {s}
            </Link>
          ),
        )}
      </span>
      {next ? (
        <Link
          className="text-indigo-700 hover:underline"
          href={hrefFor({ after: next })}
          rel="next"
        >
          Next →
        </Link>
      ) : (
        <span className="text-slate-400">Next →</span>
      )}
    </nav>
  );
}

// The URL of a list view: its current params with some changed; paging resets unless given.
export function listHref(
  path: string,
  params: Record<string, string | number | undefined>,
  change: Record<string, string | number | undefined>,
): string {
  const merged: Record<string, string | number | undefined> = {
    ...params,
    after: undefined,
    before: undefined,
    ...change,
  };
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(merged)) {
    if (v !== undefined && v !== "") query.set(k, String(v));
  }
  const s = query.toString();
  return s ? `${path}?${s}` : path;
}

type KeysetListData<T> = {
  rows: T[];
  count: { value: number; exact: boolean };
  sort: string;
  dir: "asc" | "desc";
  prev: string | null;
  next: string | null;
};

// One keyset-paged list: its count, the table and the paging links, all linking through `href`.
export function KeysetList<T extends { id: string }>({
  caption,
  noun,
  columns,
  list,
  size,
  sizes,
  href,
  rowTestId,
}: {
  caption: string;
  noun: [string, string];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  columns: ColumnDef<T, any>[];
  list: KeysetListData<T>;
  size: number;
  sizes: readonly number[];
  href: (change: Record<string, string | number | undefined>) => string;
  rowTestId?: string;
}) {
  return (
    <>
      <ListCount count={list.count} noun={noun} />
      <DataTable
        caption={caption}
        columns={columns}
        data={list.rows}
        rowId={(row) => row.id}
        sort={list.sort}
        dir={list.dir}
        sortHref={(sort, dir) => href({ sort, dir })}
        rowTestId={rowTestId}
      />
      <KeysetNav prev={list.prev} next={list.next} size={size} sizes={sizes} hrefFor={href} />
    </>
  );
}
