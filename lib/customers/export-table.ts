import { HOLDS_SEAT } from "@/lib/accounts/account-slot";
import { prisma } from "@/core/db";
import { CUSTOMER_SORTS, ZCustomerListParams, customerListWhere } from "@/lib/customers/queries";
import { csvTable } from "@/lib/tables/csv-export";
import { readInChunks } from "@/lib/tables/chunks";

// The customer list as CSV (lib/tables/csv-export.ts): the same params and filter as
// /console/customers. Prices and Stripe ids are billing data, for admins only.
export const customersCsv = csvTable({
  permission: "customers.read",
  params: ZCustomerListParams,
  sorts: CUSTOMER_SORTS,
  where: (params) => customerListWhere(params),
  // Plans and subscriptions are read apart, not as relation selects: through Prisma's SQLite
  // driver those grew the process by about 3 MB per 1,000 rows, never given back (bench/csv.ts).
  async read(batch) {
    const rows = await prisma.customer.findMany({
      ...batch,
      select: {
        id: true,
        name: true,
        kind: true,
        contactEmail: true,
        status: true,
        notes: true,
        createdAt: true,
        stripeCustomerId: true,
        planId: true,
      },
    });
    const ids = rows.map((r) => r.id);
    const [plans, subscriptions, used] = await Promise.all([
      prisma.plan.findMany({
        select: { id: true, name: true, seats: true, priceCents: true, currency: true },
      }),
      readInChunks(ids, (chunk) =>
        prisma.subscription.findMany({
          where: { customerId: { in: chunk } },
          select: { customerId: true, status: true },
        }),
      ),
      // Seats in use for this batch's customers only (as the list page does per page).
      readInChunks(ids, (chunk) =>
        prisma.xmppAccount.groupBy({
          by: ["customerId"],
          where: { customerId: { in: chunk }, ...HOLDS_SEAT },
          _count: { _all: true },
        }),
      ),
    ]);
    const plan = new Map(plans.map((p) => [p.id, p]));
    const subscription = new Map(subscriptions.map((s) => [s.customerId, s.status]));
    const accounts = new Map(used.map((u) => [u.customerId, u._count._all]));
    return rows.map((r) => ({
      ...r,
      plan: r.planId ? plan.get(r.planId) : undefined,
      subscription: subscription.get(r.id),
      accounts: accounts.get(r.id) ?? 0,
    }));
  },
  columns: [
    { header: "id", value: (r) => r.id },
    { header: "name", value: (r) => r.name },
    { header: "kind", value: (r) => r.kind },
    { header: "contactEmail", value: (r) => r.contactEmail },
    { header: "status", value: (r) => r.status },
    { header: "plan", value: (r) => r.plan?.name },
    { header: "seats", value: (r) => r.plan?.seats },
    { header: "accounts", value: (r) => r.accounts },
    { header: "createdAt", value: (r) => r.createdAt },
    { header: "notes", value: (r) => r.notes },
    {
      header: "price",
      value: (r) =>
        r.plan?.priceCents == null
          ? null
          : `${(r.plan.priceCents / 100).toFixed(2)} ${r.plan.currency}`,
      billing: true,
    },
    { header: "stripeCustomerId", value: (r) => r.stripeCustomerId, billing: true },
    { header: "subscription", value: (r) => r.subscription, billing: true },
  ],
});
