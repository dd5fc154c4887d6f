import type { Metadata } from "next";
import { guardPage } from "@/lib/auth/page-guard";
import { listAuditEvents } from "@/lib/audit/queries";
import {
  EmptyState,
  PageHeader,
  Pagination,
  Table,
  Td,
  formatDateTime,
} from "@/app/_components/ui";

export const metadata: Metadata = { title: "Audit" };

export default async function AuditPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const user = await guardPage("audit.read", "/console/audit");
  const sp = await searchParams;
  const filter = {
    customerId: sp.customerId,
    action: sp.action,
    actor: sp.actor,
    page: Number(sp.page) || 1,
  };
  const { events, page, pages, total } = await listAuditEvents(filter, user);
  const query = (p: number) =>
    `/console/audit?${new URLSearchParams(Object.entries({ ...filter, page: String(p) }).filter(([, v]) => v) as [string, string][])}`;
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Who did what and when. Parley records no IP addresses or client details here."
      />
      <form className="mb-4 flex flex-wrap gap-2" role="search">
        <label className="sr-only" htmlFor="actor">
          Actor
        </label>
        <input
          id="actor"
          name="actor"
          defaultValue={sp.actor}
          placeholder="Actor email"
          className="rounded-md border border-slate-300 px-3 py-2 text-sm"
        />
        <label className="sr-only" htmlFor="action">
          Action
        </label>
        <input
          id="action"
          name="action"
          defaultValue={sp.action}
          placeholder="Action, e.g. customer."
          className="rounded-md border border-slate-300 px-3 py-2 text-sm"
        />
        {sp.customerId ? <input type="hidden" name="customerId" value={sp.customerId} /> : null}
        <button className="rounded-md bg-white px-3 py-2 text-sm font-semibold ring-1 ring-slate-300 hover:bg-slate-50">
          Filter
        </button>
      </form>
      {events.length === 0 ? (
        <EmptyState title="Nothing recorded yet">
          Every change made in Parley appears here with who made it.
        </EmptyState>
      ) : (
        <>
          <p className="mb-2 text-xs text-slate-500">
            {total} event{total === 1 ? "" : "s"}
          </p>
          <Table head={["When", "Who", "What", "Target", "Reason"]} caption="Audit events">
            {events.map((e) => (
              <tr key={e.id}>
                <Td className="whitespace-nowrap">{formatDateTime(e.at)}</Td>
                <Td>{e.actorLabel}</Td>
                <Td className="font-mono text-xs">{e.action}</Td>
                <Td className="text-xs">
                  {e.targetType}
                  {e.targetId ? ` ${e.targetId.slice(0, 10)}` : ""}
                </Td>
                <Td className="text-xs">{e.reason ?? "—"}</Td>
              </tr>
            ))}
          </Table>
          <Pagination page={page} pages={pages} hrefFor={query} />
        </>
      )}
    </>
  );
}
