import { prisma } from "@/core/db";
import { parseReasons } from "@/provisioning/suspension";
import { ACCOUNT_SORTS, ZAccountListParams, accountListWhere } from "@/lib/accounts/queries";
import { csvTable } from "@/lib/tables/csv-export";
import { customerNames, serverNames } from "@/lib/tables/batch-names";

// The account list as CSV (lib/tables/csv-export.ts): the same params and filter as
// /console/accounts.
export const accountsCsv = csvTable({
  permission: "accounts.read",
  params: ZAccountListParams,
  sorts: ACCOUNT_SORTS,
  where: (params) => accountListWhere(params),
  // Names beside the rows, not relation selects (lib/tables/batch-names.ts).
  async read(batch) {
    const rows = await prisma.xmppAccount.findMany({
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
        customerId: true,
        serverId: true,
      },
    });
    const [customer, server] = await Promise.all([
      customerNames(rows.map((r) => r.customerId)),
      serverNames(),
    ]);
    return rows.map((r) => ({
      ...r,
      customer: customer.get(r.customerId) ?? "",
      server: server.get(r.serverId) ?? "",
    }));
  },
  columns: [
    { header: "id", value: (r) => r.id },
    { header: "address", value: (r) => `${r.localpart}@${r.domain}` },
    { header: "localpart", value: (r) => r.localpart },
    { header: "domain", value: (r) => r.domain },
    { header: "displayName", value: (r) => r.displayName },
    { header: "status", value: (r) => r.status },
    { header: "suspensionReasons", value: (r) => parseReasons(r.suspensionReasons).join(" ") },
    { header: "customerId", value: (r) => r.customerId },
    { header: "customer", value: (r) => r.customer },
    { header: "server", value: (r) => r.server },
    { header: "recoveryEmail", value: (r) => r.recoveryEmail },
    { header: "createdAt", value: (r) => r.createdAt },
  ],
});
