import { prisma } from "@/core/db";
import { parseReasons } from "@/provisioning/suspension";
import { ACCOUNT_SORTS, ZAccountListParams, accountListWhere } from "@/lib/accounts/queries";
import { csvTable } from "@/lib/tables/csv-export";

// The account list as CSV (lib/tables/csv-export.ts): the same params and filter as
// /console/accounts.
export const accountsCsv = csvTable({
  permission: "accounts.read",
  params: ZAccountListParams,
  sorts: ACCOUNT_SORTS,
  where: (params) => accountListWhere(params),
  read: (batch) =>
    prisma.xmppAccount.findMany({
      ...batch,
      select: {
        id: true,
        localpart: true,
        domain: true,
        displayName: true,
        status: true,
        suspensionReasons: true,
        recoveryEmail: true,
        createdAt: true,
        customer: { select: { id: true, name: true } },
        server: { select: { name: true } },
      },
    }),
  columns: [
    { header: "id", value: (r) => r.id },
    { header: "address", value: (r) => `${r.localpart}@${r.domain}` },
    { header: "localpart", value: (r) => r.localpart },
    { header: "domain", value: (r) => r.domain },
    { header: "displayName", value: (r) => r.displayName },
    { header: "status", value: (r) => r.status },
    { header: "suspensionReasons", value: (r) => parseReasons(r.suspensionReasons).join(" ") },
    { header: "customerId", value: (r) => r.customer.id },
    { header: "customer", value: (r) => r.customer.name },
    { header: "server", value: (r) => r.server.name },
    { header: "recoveryEmail", value: (r) => r.recoveryEmail },
    { header: "createdAt", value: (r) => r.createdAt },
  ],
});
