import type { Metadata } from "next";
import Link from "@/app/_components/link";
import { notFound } from "next/navigation";
import { guardPage } from "@/lib/auth/page-guard";
import { listCustomerAccounts } from "@/lib/accounts/queries";
import { getCustomer } from "@/lib/customers/queries";
import { listCustomerInvites } from "@/lib/invites/queries";
import { listCustomerRooms } from "@/lib/rooms/queries";
import { Badge, Banner, Card, PageHeader } from "@/app/_components/ui";
import { UsageBar } from "@/app/_components/usage-bar";
import { InviteList } from "@/app/_components/invites/invite-list";
import { AccountStatusBadge } from "@/app/(console)/console/accounts/status-badge";

export const metadata: Metadata = { title: "Customer portal (read-only)" };

// What the customer's portal users see, for staff helping them: read-only, no impersonation.
export default async function StaffPortalView({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await guardPage("customers.read", `/console/customers/${id}/portal`);
  const customer = await getCustomer(id);
  if (!customer) notFound();
  const [accounts, rooms, invites] = await Promise.all([
    listCustomerAccounts(id),
    listCustomerRooms(id),
    listCustomerInvites(id),
  ]);
  return (
    <>
      <PageHeader
        title={`${customer.name}: portal`}
        description="What this customer's portal users see."
      />
      <Banner color="indigo" testId="read-only-portal">
        Read-only view. Staff cannot act as a customer; use the console pages to make changes.{" "}
        <Link className="underline" href={`/console/customers/${id}`}>
          Back to the customer
        </Link>
      </Banner>
      <div className="grid gap-6 md:grid-cols-2">
        <Card title="Plan and usage">
          {customer.plan ? (
            <div className="space-y-3 text-sm">
              <p className="font-medium">{customer.plan.name}</p>
              <UsageBar
                label="Accounts"
                used={customer._count.accounts}
                limit={customer.plan.seats}
              />
              <UsageBar label="Rooms" used={customer._count.rooms} limit={customer.plan.rooms} />
            </div>
          ) : (
            <p className="text-sm text-slate-600">No plan.</p>
          )}
        </Card>
        <Card title="People">
          <ul className="space-y-1 text-sm">
            {customer.users.map((u) => (
              <li key={u.id}>
                {u.name} <span className="text-slate-500">{u.email}</span>
              </li>
            ))}
          </ul>
        </Card>
        <Card title="Accounts">
          <ul className="space-y-1 text-sm">
            {accounts.map((a) => (
              <li key={a.id} className="flex flex-wrap items-center gap-2">
                <Link
                  className="font-mono text-indigo-700 hover:underline"
                  href={`/console/accounts/${a.id}`}
                >
                  {a.localpart}@{a.domain}
                </Link>
                <AccountStatusBadge status={a.status} reasons={a.reasons} />
              </li>
            ))}
          </ul>
        </Card>
        <Card title="Rooms">
          <ul className="space-y-2 text-sm">
            {rooms.map((r) => (
              <li key={r.id}>
                <span className="font-mono">
                  {r.name}@{r.domain}
                </span>{" "}
                <span className="text-xs text-slate-500">
                  {r.affiliations.map((a) => `${a.jid} (${a.affiliation})`).join(", ")}
                </span>
              </li>
            ))}
          </ul>
        </Card>
      </div>
      <h2 className="mb-2 mt-6 font-semibold">Invites</h2>
      <InviteList invites={invites} showCustomer={false} readOnly />
      <p className="mt-4">
        <Badge>read-only</Badge>
      </p>
    </>
  );
}
