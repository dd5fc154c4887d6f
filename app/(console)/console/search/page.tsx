import type { Metadata } from "next";
import Link from "@/app/_components/link";
import { guardPage } from "@/lib/auth/page-guard";
import { supportSearch } from "@/lib/support/queries";
import { EmptyState, PageHeader } from "@/app/_components/ui";
import { AccountStatusBadge } from "../accounts/status-badge";

export const metadata: Metadata = { title: "Find" };

export default async function SearchPage({
  searchParams,
}: {
  searchParams: Promise<{ q?: string }>;
}) {
  await guardPage("accounts.read", "/console/search");
  const q = (await searchParams).q ?? "";
  const results = await supportSearch(q);
  const total = results
    ? results.accounts.length +
      results.customers.length +
      results.rooms.length +
      results.users.length
    : 0;
  return (
    <>
      <PageHeader
        title="Find"
        description="Accounts, customers, rooms and portal users by address, name or email; parts work too."
      />
      <form role="search" className="mb-6 flex gap-2">
        <label htmlFor="support-q" className="sr-only">
          Search
        </label>
        <input
          id="support-q"
          name="q"
          defaultValue={q}
          autoFocus
          placeholder="e.g. alice@, smith, family"
          className="w-96 max-w-full rounded-md border border-slate-300 px-3 py-2 text-sm"
        />
        <button className="rounded-md bg-indigo-600 px-3 py-2 text-sm font-semibold text-white">
          Search
        </button>
      </form>
      {!results ? (
        <p className="text-sm text-slate-600">Type at least two characters.</p>
      ) : total === 0 ? (
        <EmptyState title="Nothing found">Try a shorter part of the address or name.</EmptyState>
      ) : (
        <div className="grid gap-6 md:grid-cols-2">
          {results.accounts.length ? (
            <section>
              <h2 className="mb-2 font-semibold">Accounts</h2>
              <ul className="space-y-1 text-sm" data-testid="search-accounts">
                {results.accounts.map((a) => (
                  <li key={a.id} className="flex flex-wrap items-center gap-2">
                    <Link
                      className="font-mono text-indigo-700 hover:underline"
                      href={`/console/accounts/${a.id}`}
                    >
                      {a.localpart}@{a.domain}
                    </Link>
                    <AccountStatusBadge status={a.status} reasons={a.reasons} />
                    <span className="text-xs text-slate-500">{a.customer.name}</span>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          {results.customers.length ? (
            <section>
              <h2 className="mb-2 font-semibold">Customers</h2>
              <ul className="space-y-1 text-sm">
                {results.customers.map((c) => (
                  <li key={c.id}>
                    <Link
                      className="text-indigo-700 hover:underline"
                      href={`/console/customers/${c.id}`}
                    >
                      {c.name}
                    </Link>{" "}
                    <span className="text-xs text-slate-500">
                      {c.contactEmail} · {c.status.toLowerCase()}
                    </span>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          {results.rooms.length ? (
            <section>
              <h2 className="mb-2 font-semibold">Rooms</h2>
              <ul className="space-y-1 text-sm">
                {results.rooms.map((r) => (
                  <li key={r.id}>
                    <Link
                      className="font-mono text-indigo-700 hover:underline"
                      href={`/console/rooms/${r.id}`}
                    >
                      {r.name}@{r.domain}
                    </Link>{" "}
                    {r.title}
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          {results.users.length ? (
            <section>
              <h2 className="mb-2 font-semibold">Portal users</h2>
              <ul className="space-y-1 text-sm">
                {results.users.map((u) => (
                  <li key={u.id}>
                    {u.email} ·{" "}
                    <Link
                      className="text-indigo-700 hover:underline"
                      href={`/console/customers/${u.customer!.id}`}
                    >
                      {u.customer!.name}
                    </Link>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
        </div>
      )}
    </>
  );
}
