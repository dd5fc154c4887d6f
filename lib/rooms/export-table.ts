import { prisma } from "@/core/db";
import {
  ROOM_ROW_FIELDS,
  ROOM_SORTS,
  ZRoomListParams,
  roomListWhere,
  roomMembers,
} from "@/lib/rooms/queries";
import { csvTable } from "@/lib/tables/csv-export";
import { customerNames, serverNames } from "@/lib/tables/batch-names";

// The room list as CSV (lib/tables/csv-export.ts): the same params and filter as
// /console/rooms, which staff who read accounts may see.
export const roomsCsv = csvTable({
  permission: "accounts.read",
  params: ZRoomListParams,
  sorts: ROOM_SORTS,
  where: (params) => roomListWhere(params),
  // Names beside the rows, not relation selects (lib/tables/batch-names.ts).
  async read(batch) {
    const rows = await prisma.room.findMany({
      ...batch,
      select: { ...ROOM_ROW_FIELDS, customerId: true, serverId: true },
    });
    const [customer, server, members] = await Promise.all([
      customerNames(rows.map((r) => r.customerId)),
      serverNames(),
      roomMembers(rows.map((r) => r.id)),
    ]);
    return rows.map((r) => ({
      ...r,
      customer: customer.get(r.customerId) ?? "",
      server: server.get(r.serverId) ?? "",
      members: members.get(r.id) ?? 0,
    }));
  },
  columns: [
    { header: "id", value: (r) => r.id },
    { header: "address", value: (r) => `${r.name}@${r.domain}` },
    { header: "name", value: (r) => r.name },
    { header: "domain", value: (r) => r.domain },
    { header: "title", value: (r) => r.title },
    { header: "status", value: (r) => r.status },
    { header: "customerId", value: (r) => r.customerId },
    { header: "customer", value: (r) => r.customer },
    { header: "server", value: (r) => r.server },
    { header: "members", value: (r) => r.members },
    { header: "createdAt", value: (r) => r.createdAt },
  ],
});
