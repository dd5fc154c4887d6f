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
        plan: { select: { name: true, seats: true, priceCents: true, currency: true } },
        subscription: { select: { status: true } },
      },
    });
    // Seats in use for this batch's customers only (as the list page does per page).
    const used = await readInChunks(
      rows.map((r) => r.id),
      (ids) =>
        prisma.xmppAccount.groupBy({
          by: ["customerId"],
          where: { customerId: { in: ids }, deletedAt: null },
          _count: { _all: true },
        }),
    );
    const accountsOf = new Map(used.map((u) => [u.customerId, u._count._all]));
    return rows.map((r) => ({ ...r, accounts: accountsOf.get(r.id) ?? 0 }));
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
    { header: "subscription", value: (r) => r.subscription?.status, billing: true },
  ],
});
