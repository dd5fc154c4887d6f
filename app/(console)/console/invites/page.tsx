import type { Metadata } from "next";
import { guardPage } from "@/lib/auth/page-guard";
import { can } from "@/lib/auth/policy";
import { listInvitableAccounts } from "@/lib/accounts/queries";
import { listCustomersWithPlan } from "@/lib/customers/queries";
import { INVITE_STATUSES, listInvites } from "@/lib/invites/queries";
import { listInvitableRooms } from "@/lib/rooms/queries";
import { Card, PageHeader } from "@/app/_components/ui";
import { InviteForm } from "@/app/_components/invites/invite-form";
import { InviteList } from "@/app/_components/invites/invite-list";

export const metadata: Metadata = { title: "Invites" };

export default async function InvitesPage({
  searchParams,
}: {
  searchParams: Promise<{ status?: string; customerId?: string }>;
}) {
  const user = await guardPage("accounts.read", "/console/invites");
  const sp = await searchParams;
  const status = INVITE_STATUSES.find((s) => s === sp.status);
  const [invites, customers, rooms, accounts] = await Promise.all([
    listInvites({ status, customerId: sp.customerId }),
    listCustomersWithPlan("active"),
    listInvitableRooms(),
    listInvitableAccounts(),
  ]);
  return (
    <>
      <PageHeader
        title="Invites"
        description="Links that let people register an account on a customer's seats, join a room or become someone's contact."
      />
      {can(user, "invites.write") ? (
        <Card title="New invite" className="mb-6">
          {customers.length === 0 ? (
            <p className="text-sm text-slate-600">No active customer has a plan yet.</p>
          ) : (
            <InviteForm
              customers={customers.map((c) => ({ value: c.id, label: c.name }))}
              rooms={rooms.map((r) => ({
                value: r.id,
                label: `${r.name}@${r.domain} (${r.customer.name})`,
              }))}
              accounts={accounts.map((a) => ({
                value: a.id,
                label: `${a.localpart}@${a.domain} (${a.customer.name})`,
              }))}
            />
          )}
        </Card>
      ) : null}
      <form className="mb-4 flex flex-wrap gap-2" role="search">
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
          {INVITE_STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        <label htmlFor="customerId" className="sr-only">
          Customer
        </label>
        <select
          id="customerId"
          name="customerId"
          defaultValue={sp.customerId ?? ""}
          className="rounded-md border border-slate-300 px-3 py-2 text-sm"
        >
          <option value="">Any customer</option>
          {customers.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
        <button className="rounded-md bg-white px-3 py-2 text-sm font-semibold ring-1 ring-slate-300 hover:bg-slate-50">
          Filter
        </button>
      </form>
      <InviteList invites={invites} showCustomer />
    </>
  );
}
