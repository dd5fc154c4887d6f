import { prisma } from "@/core/db";
import { now } from "@/core/clock";
import { csvTable } from "@/lib/tables/csv-export";
import { customerNames } from "@/lib/tables/batch-names";
import {
  PORTAL_USER_FIELDS,
  PORTAL_USER_SORTS,
  ZPortalUserListParams,
  portalUserListWhere,
  portalUserState,
} from "@/lib/users/queries";

// The portal-user list as CSV (lib/tables/csv-export.ts): the same params and filter as
// /console/portal-users. What the list shows (PORTAL_USER_FIELDS): never a password hash,
// second-factor secret or recovery code.
export const portalUsersCsv = csvTable({
  permission: "customers.read",
  params: ZPortalUserListParams,
  sorts: PORTAL_USER_SORTS,
  where: (params) => portalUserListWhere(params, now()),
  // Names beside the rows, not relation selects (lib/tables/batch-names.ts).
  async read(batch) {
    const at = now();
    const rows = await prisma.user.findMany({
      ...batch,
      select: { ...PORTAL_USER_FIELDS, customerId: true },
    });
    const customer = await customerNames(rows.map((r) => r.customerId));
    return rows.map((r) => ({
      ...r,
      customer: (r.customerId && customer.get(r.customerId)) || "",
      state: portalUserState(r, at),
    }));
  },
  columns: [
    { header: "id", value: (r) => r.id },
    { header: "name", value: (r) => r.name },
    { header: "email", value: (r) => r.email },
    { header: "customerId", value: (r) => r.customerId },
    { header: "customer", value: (r) => r.customer },
    { header: "state", value: (r) => r.state },
    { header: "twoFactor", value: (r) => r.totpEnabledAt !== null },
    { header: "lastLoginAt", value: (r) => r.lastLoginAt },
    { header: "createdAt", value: (r) => r.createdAt },
  ],
});
