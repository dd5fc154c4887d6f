import type { Metadata } from "next";
import Link from "next/link";
import { guardPage } from "@/lib/auth/page-guard";
import { can } from "@/lib/auth/policy";
import { listAccounts } from "@/lib/accounts/queries";
import { listCustomersWithPlan } from "@/lib/customers/queries";
import { listEnabledServers } from "@/lib/servers/queries";
import { ActionForm, Field } from "@/app/_components/form";
import {
  Banner,
  Card,
  EmptyState,
  PageHeader,
  Table,
  Td,
  formatDateTime,
} from "@/app/_components/ui";
import { AccountStatusBadge } from "./status-badge";
import { createAccountAction } from "./actions";

export const metadata: Metadata = { title: "Accounts" };

export default async function AccountsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const user = await guardPage("accounts.read", "/console/accounts");
  const sp = await searchParams;
  const q = sp.q?.trim().toLowerCase();
  const [accounts, customers, servers] = await Promise.all([
    listAccounts({ q }),
    can(user, "accounts.write") ? listCustomersWithPlan("open") : [],
    listEnabledServers(),
  ]);
  return (
    <>
      <PageHeader
        title="XMPP accounts"
        description="Addresses on your backing servers, each belonging to a customer."
      />
      {sp.deleted ? (
        <Banner color="green">
          The account is being deleted; its username stays reserved for its customer.
        </Banner>
      ) : null}
      <form className="mb-4 flex gap-2" role="search">
        <label htmlFor="q" className="sr-only">
          Search accounts
        </label>
        <input
          id="q"
          name="q"
          defaultValue={sp.q}
          placeholder="Search by address or name"
          className="w-72 rounded-md border border-slate-300 px-3 py-2 text-sm"
        />
        <button className="rounded-md bg-white px-3 py-2 text-sm font-semibold ring-1 ring-slate-300 hover:bg-slate-50">
          Search
        </button>
      </form>
      {accounts.length === 0 ? (
        <EmptyState title={q ? "No accounts match" : "No XMPP accounts yet"}>
          {q ? (
            "Try part of the address."
          ) : servers.length === 0 ? (
            <>
              Connect a server under{" "}
              <Link className="text-indigo-700 underline" href="/console/servers">
                Servers
              </Link>
              , give a customer a plan, then create accounts here.
            </>
          ) : (
            "Create one below, or let people register through an invite."
          )}
        </EmptyState>
      ) : (
        <Table head={["Address", "Customer", "Status", "Created"]} caption="XMPP accounts">
          {accounts.map((a) => (
            <tr key={a.id}>
              <Td>
                <Link
                  className="font-mono text-indigo-700 hover:underline"
                  href={`/console/accounts/${a.id}`}
                >
                  {a.localpart}@{a.domain}
                </Link>
              </Td>
              <Td>
                <Link className="hover:underline" href={`/console/customers/${a.customer.id}`}>
                  {a.customer.name}
                </Link>
              </Td>
              <Td>
                <AccountStatusBadge status={a.status} reasons={a.reasons} />
              </Td>
              <Td>{formatDateTime(a.createdAt)}</Td>
            </tr>
          ))}
        </Table>
      )}
      {can(user, "accounts.write") && servers.length > 0 ? (
        <Card title="Create an account" className="mt-6">
          {customers.length === 0 ? (
            <p className="text-sm text-slate-600">
              No customer has a plan yet. Give a customer a plan to use its seats.
            </p>
          ) : (
            <ActionForm action={createAccountAction} submit="Create account">
              <div className="grid gap-4 sm:grid-cols-2">
                <Field
                  label="Customer"
                  name="customerId"
                  options={customers.map((c) => ({ value: c.id, label: c.name }))}
                />
                <Field
                  label="Server"
                  name="serverId"
                  options={servers.map((s) => ({ value: s.id, label: `${s.name} (${s.domain})` }))}
                />
                <Field
                  label="Username"
                  name="localpart"
                  required
                  hint="Letters, digits, dots, hyphens, underscores. Stored in lower case."
                  autoComplete="off"
                />
                <Field label="Display name" name="displayName" />
                <Field
                  label="Password"
                  name="password"
                  type="password"
                  autoComplete="new-password"
                  hint="Leave empty to generate one, shown once."
                />
              </div>
            </ActionForm>
          )}
        </Card>
      ) : null}
    </>
  );
}
