import Link from "@/app/_components/link";

export function PageHeader({
  title,
  description,
  actions,
}: {
  title: string;
  description?: string;
  actions?: React.ReactNode;
}) {
  return (
    <div className="mb-6 flex flex-wrap items-start justify-between gap-4">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
        {description ? (
          <p className="mt-1 max-w-2xl text-sm text-slate-600">{description}</p>
        ) : null}
      </div>
      {actions ? <div className="flex gap-2">{actions}</div> : null}
    </div>
  );
}

export function Card({
  title,
  children,
  className = "",
}: {
  title?: string;
  children: React.ReactNode;
  className?: string;
}) {
  return (
    <section className={`rounded-xl border border-slate-200 bg-white p-5 shadow-sm ${className}`}>
      {title ? <h2 className="mb-4 text-base font-semibold">{title}</h2> : null}
      {children}
    </section>
  );
}

export function EmptyState({
  title,
  children,
  action,
}: {
  title: string;
  children?: React.ReactNode;
  action?: React.ReactNode;
}) {
  return (
    <div
      className="rounded-xl border border-dashed border-slate-300 bg-white px-6 py-12 text-center"
      data-testid="empty-state"
    >
      <svg
        aria-hidden="true"
        className="mx-auto mb-3 h-10 w-10 text-slate-300"
        viewBox="0 0 24 24"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.5"
      >
        <path d="M4 6h16v10H11l-5 4v-4H4z" strokeLinejoin="round" />
      </svg>
      <h2 className="text-base font-semibold">{title}</h2>
      {children ? (
        <div className="mx-auto mt-2 max-w-md text-sm text-slate-600">{children}</div>
      ) : null}
      {action ? <div className="mt-5">{action}</div> : null}
    </div>
  );
}

const tone = {
  green: "bg-emerald-50 text-emerald-800 ring-emerald-600/20",
  amber: "bg-amber-50 text-amber-800 ring-amber-600/20",
  red: "bg-rose-50 text-rose-800 ring-rose-600/20",
  slate: "bg-slate-100 text-slate-700 ring-slate-500/20",
  indigo: "bg-indigo-50 text-indigo-800 ring-indigo-600/20",
} as const;

export function Badge({
  children,
  color = "slate",
}: {
  children: React.ReactNode;
  color?: keyof typeof tone;
}) {
  return (
    <span
      className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${tone[color]}`}
    >
      {children}
    </span>
  );
}

export function Banner({
  children,
  color = "amber",
  testId,
}: {
  children: React.ReactNode;
  color?: "amber" | "red" | "indigo" | "green";
  testId?: string;
}) {
  const colors = {
    amber: "border-amber-300 bg-amber-50 text-amber-900",
    red: "border-rose-300 bg-rose-50 text-rose-900",
    indigo: "border-indigo-300 bg-indigo-50 text-indigo-900",
    green: "border-emerald-300 bg-emerald-50 text-emerald-900",
  };
  return (
    <div
      role="status"
      data-testid={testId}
      className={`mb-4 rounded-lg border px-4 py-3 text-sm ${colors[color]}`}
    >
      {children}
    </div>
  );
}

type ButtonLinkProps = {
  href: string;
  children: React.ReactNode;
  variant?: "primary" | "secondary";
};

const buttonLinkClass = (variant: ButtonLinkProps["variant"]) =>
  `inline-flex items-center rounded-md px-3 py-2 text-sm font-semibold shadow-sm ${
    variant === "primary"
      ? "bg-indigo-600 text-white hover:bg-indigo-500"
      : "bg-white text-slate-800 ring-1 ring-inset ring-slate-300 hover:bg-slate-50"
  }`;

export function ButtonLink({ href, children, variant = "primary" }: ButtonLinkProps) {
  return (
    <Link href={href} className={buttonLinkClass(variant)}>
      {children}
    </Link>
  );
}

// A file download: a plain link, never prefetched (next/link would fetch the file ahead).
export function DownloadLink({ href, children, variant = "secondary" }: ButtonLinkProps) {
  return (
    <a href={href} download className={buttonLinkClass(variant)}>
      {children}
    </a>
  );
}

export function Table({
  head,
  children,
  caption,
}: {
  head: string[];
  children: React.ReactNode;
  caption?: string;
}) {
  return (
    <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        {caption ? <caption className="sr-only">{caption}</caption> : null}
        <thead className="bg-slate-50">
          <tr>
            {head.map((h) => (
              <th
                key={h}
                scope="col"
                className="px-4 py-2.5 text-left font-semibold text-slate-700"
              >
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">{children}</tbody>
      </table>
    </div>
  );
}

export function Td({
  children,
  className = "",
}: {
  children: React.ReactNode;
  className?: string;
}) {
  return <td className={`px-4 py-2.5 align-top ${className}`}>{children}</td>;
}

export function Pagination({
  page,
  pages,
  hrefFor,
}: {
  page: number;
  pages: number;
  hrefFor: (page: number) => string;
}) {
  if (pages <= 1) return null;
  return (
    <nav aria-label="Pagination" className="mt-4 flex items-center justify-between text-sm">
      {page > 1 ? (
        <Link className="text-indigo-700 hover:underline" href={hrefFor(page - 1)}>
          ← Previous
        </Link>
      ) : (
        <span />
      )}
      <span className="text-slate-600">
        Page {page} of {pages}
      </span>
      {page < pages ? (
        <Link className="text-indigo-700 hover:underline" href={hrefFor(page + 1)}>
          Next →
        </Link>
      ) : (
        <span />
      )}
    </nav>
  );
}

export function formatDateTime(date: Date | null | undefined): string {
  if (!date) return "—";
  return date.toISOString().replace("T", " ").slice(0, 16) + " UTC";
}
