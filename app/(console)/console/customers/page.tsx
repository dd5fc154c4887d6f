import type { Metadata } from "next";
import Link from "next/link";
import { guardPage } from "@/lib/auth/page-guard";
import { can } from "@/lib/auth/policy";
import { listCustomers } from "@/lib/customers/queries";
import { CUSTOMER_STATUSES } from "@/lib/validation/customers";
import {
  Badge,
  ButtonLink,
  EmptyState,
  PageHeader,
  Pagination,
  Table,
  Td,
  formatDateTime,
} from "@/app/_components/ui";
import { StatusBadge } from "./status-badge";

export const metadata: Metadata = { title: "Customers" };

export default async function CustomersPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const user = await guardPage("customers.read", "/console/customers");
  const sp = await searchParams;
  const status = CUSTOMER_STATUSES.find((s) => s === sp.status);
  const { customers, total, page, pages } = await listCustomers({
    q: sp.q,
    status,
    page: Number(sp.page) || 1,
  });
  const canWrite = can(user, "customers.write");
  const href = (p: number) =>
    `/console/customers?${new URLSearchParams({ ...(sp.q ? { q: sp.q } : {}), ...(status ? { status } : {}), page: String(p) })}`;
  return (
    <>
      <PageHeader
        title="Customers"
        description="Subscribers: the people, families and companies who pay for your service."
        actions={
          canWrite ? <ButtonLink href="/console/customers/new">Add customer</ButtonLink> : null
        }
      />
      <form className="mb-4 flex flex-wrap gap-2" role="search">
        <label htmlFor="q" className="sr-only">
          Search customers
        </label>
        <input
          id="q"
          name="q"
          defaultValue={sp.q}
          placeholder="Search by name or email"
          className="w-64 rounded-md border border-slate-300 px-3 py-2 text-sm"
        />
        <label htmlFor="status" className="sr-only">
          Status
        </label>
        <select
          id="status"
          name="status"
          defaultValue={status ?? ""}
          className="rounded-md border border-slate-300 px-3 py-2 text-sm"
        >
          <option value="">Any status</option>
          {CUSTOMER_STATUSES.map((s) => (
            <option key={s} value={s}>
              {s.toLowerCase().replace("_", " ")}
            </option>
          ))}
        </select>
        <button className="rounded-md bg-white px-3 py-2 text-sm font-semibold ring-1 ring-slate-300 hover:bg-slate-50">
          Filter
        </button>
      </form>
      {customers.length === 0 ? (
        sp.q || status ? (
          <EmptyState title="No customers match">
            Try a shorter search or another status.{" "}
            <Link className="text-indigo-700 underline" href="/console/customers">
              Clear filters
            </Link>
          </EmptyState>
        ) : (
          <EmptyState
            title="No customers yet"
            action={
              canWrite ? (
                <ButtonLink href="/console/customers/new">Add your first customer</ButtonLink>
              ) : null
            }
          >
            A customer is whoever pays: a person, a family or a company. Its portal users manage its
            XMPP accounts.
          </EmptyState>
        )
      ) : (
        <>
          <p className="mb-2 text-xs text-slate-500">
            {total} customer{total === 1 ? "" : "s"}
          </p>
          <Table head={["Name", "Plan", "Accounts", "Status", "Since"]} caption="Customers">
            {customers.map((c) => (
              <tr key={c.id}>
                <Td>
                  <Link
                    className="font-medium text-indigo-700 hover:underline"
                    href={`/console/customers/${c.id}`}
                  >
                    {c.name}
                  </Link>
                  <div className="text-xs text-slate-500">
                    {c.contactEmail} · {c.kind.toLowerCase()}
                  </div>
                </Td>
                <Td>{c.plan ? c.plan.name : <Badge>no plan</Badge>}</Td>
                <Td>
                  {c._count.accounts}
                  {c.plan ? ` / ${c.plan.seats}` : ""}
                </Td>
                <Td>
                  <StatusBadge status={c.status} />
                </Td>
                <Td>{formatDateTime(c.createdAt)}</Td>
              </tr>
            ))}
          </Table>
          <Pagination page={page} pages={pages} hrefFor={href} />
        </>
      )}
    </>
  );
}
