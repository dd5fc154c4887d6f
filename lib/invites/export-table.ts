import { prisma } from "@/core/db";
import { now } from "@/core/clock";
import { groupBy } from "@/lib/imports/rows";
import {
  INVITE_FIELDS,
  INVITE_SORTS,
  ZInviteListParams,
  inviteListWhere,
  withJoined,
} from "@/lib/invites/queries";
import { csvTable } from "@/lib/tables/csv-export";
import { customerNames, serverNames, userNames } from "@/lib/tables/batch-names";
import { readInChunks } from "@/lib/tables/chunks";

// The invite list as CSV (lib/tables/csv-export.ts): the same params and filter as
// /console/invites. What the list shows, never a token or receipt hash (INVITE_FIELDS and the
// use rows' columns below hold neither).
export const invitesCsv = csvTable({
  permission: "accounts.read",
  params: ZInviteListParams,
  sorts: INVITE_SORTS,
  where: (params) => inviteListWhere(params, now()),
  // Uses and names beside the rows, not relation selects (lib/tables/batch-names.ts).
  async read(batch) {
    const at = now();
    const rows = await prisma.invite.findMany({
      ...batch,
      select: { ...INVITE_FIELDS, customerId: true, serverId: true, createdById: true },
    });
    const [uses, customer, server, creator] = await Promise.all([
      readInChunks(
        rows.map((r) => r.id),
        (ids) =>
          prisma.inviteUse.findMany({
            where: { inviteId: { in: ids } },
            orderBy: { usedAt: "asc" },
            select: { inviteId: true, usedAt: true, accountId: true },
          }),
      ),
      customerNames(rows.map((r) => r.customerId)),
      serverNames(),
      userNames(rows.map((r) => r.createdById)),
    ]);
    const usesOf = groupBy(uses, (u) => u.inviteId);
    return withJoined(
      rows.map((r) => ({
        ...r,
        redemptions: usesOf.get(r.id) ?? [],
        customer: customer.get(r.customerId) ?? "",
        server: (r.serverId && server.get(r.serverId)) || "customer's default",
        createdBy: (r.createdById && creator.get(r.createdById)) || "someone removed",
      })),
      at,
    );
  },
  columns: [
    { header: "id", value: (r) => r.id },
    { header: "kind", value: (r) => r.kind },
    { header: "status", value: (r) => r.status },
    { header: "customerId", value: (r) => r.customerId },
    { header: "customer", value: (r) => r.customer },
    { header: "server", value: (r) => r.server },
    { header: "localpart", value: (r) => r.localpart },
    { header: "note", value: (r) => r.note },
    { header: "uses", value: (r) => r.uses },
    { header: "maxUses", value: (r) => r.maxUses },
    { header: "joined", value: (r) => r.joined.map((j) => j.address).join(" ") },
    { header: "createdBy", value: (r) => r.createdBy },
    { header: "createdAt", value: (r) => r.createdAt },
    { header: "expiresAt", value: (r) => r.expiresAt },
    { header: "revokedAt", value: (r) => r.revokedAt },
  ],
});
