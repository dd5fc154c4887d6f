import { z } from "zod";
import { prisma } from "@/core/db";
import { roomConfigOf } from "@/lib/rooms/room-config";
import { readInChunks } from "@/lib/tables/chunks";
import {
  ZListBase,
  addressMatch,
  createdRange,
  readListPage,
  textMatch,
  type KeysetColumn,
} from "@/lib/tables/keyset";

// Reads of group chat rooms. Room settings come merged with the defaults (`config`).

export function countRooms(): Promise<number> {
  return prisma.room.count({ where: { status: { not: "DELETED" } } });
}

// The console's room list: keyset pages over any filter, sort and search, in one function.
// Parse the URL's params with ZRoomListParams first.
const ROOM_STATUSES = ["PENDING", "ACTIVE", "DELETING", "DELETED", "FAILED"] as const;
export const ROOM_LIST_STATUSES = ["PENDING", "ACTIVE", "DELETING", "FAILED"] as const;
export const ZRoomListParams = ZListBase.extend({
  status: z.enum(ROOM_LIST_STATUSES).optional().catch(undefined),
  server: z.string().trim().min(1).max(64).optional().catch(undefined),
  customer: z.string().trim().min(1).max(64).optional().catch(undefined),
  sort: z.enum(["address", "created", "status"]).catch("created"),
});
export type RoomListParams = z.infer<typeof ZRoomListParams>;

export const ROOM_SORTS = {
  address: { field: "name", kind: "value" },
  created: { field: "createdAt", kind: "value" },
  status: { field: "status", kind: "enum", type: "RoomStatus", values: ROOM_STATUSES },
} as const satisfies Record<RoomListParams["sort"], KeysetColumn>;

// The search alone, so a faster text search can replace it: the address, or the room's name
// (its address's local part) or title.
export function roomSearchWhere(q: string | undefined, match: "prefix" | "contains") {
  if (!q) return {};
  const address = addressMatch(q, match, { local: "name", domain: "domain" });
  if (address) return address;
  return { OR: [{ name: textMatch(q.toLowerCase(), match) }, { title: textMatch(q, match) }] };
}

export function roomListWhere(params: RoomListParams) {
  return {
    status: params.status ?? { not: "DELETED" as const },
    ...(params.server ? { serverId: params.server } : {}),
    ...(params.customer ? { customerId: params.customer } : {}),
    ...createdRange(params.from, params.to),
    ...roomSearchWhere(params.q, params.match),
  };
}

// What a room list row holds of the room itself (the list adds its customer and server).
export const ROOM_ROW_FIELDS = {
  id: true,
  name: true,
  domain: true,
  title: true,
  status: true,
  createdAt: true,
} as const;

// Members per room, for these rooms only (a relation _count would group every affiliation).
export async function roomMembers(roomIds: string[]): Promise<Map<string, number>> {
  const members = await readInChunks(roomIds, (ids) =>
    prisma.roomAffiliation.groupBy({
      by: ["roomId"],
      where: { roomId: { in: ids } },
      _count: { _all: true },
    }),
  );
  return new Map(members.map((m) => [m.roomId, m._count._all]));
}

export async function listRooms(params: RoomListParams) {
  const filter = roomListWhere(params);
  const page = await readListPage(params, {
    column: ROOM_SORTS[params.sort],
    read: ({ where, ...page }) =>
      prisma.room.findMany({
        ...page,
        where: { AND: [filter, where] },
        select: {
          ...ROOM_ROW_FIELDS,
          customer: { select: { id: true, name: true } },
          server: { select: { id: true, name: true } },
        },
      }),
    sortValue: (r) =>
      params.sort === "address" ? r.name : params.sort === "status" ? r.status : r.createdAt,
    count: (take, orderBy) => prisma.room.count({ where: filter, take, orderBy }),
  });
  const membersOf = await roomMembers(page.rows.map((r) => r.id));
  return { ...page, rows: page.rows.map((r) => ({ ...r, members: membersOf.get(r.id) ?? 0 })) };
}

// One room for its console page; null when missing or deleted.
export async function getRoomDetail(id: string) {
  const room = await prisma.room.findUnique({
    where: { id },
    select: {
      id: true,
      name: true,
      domain: true,
      title: true,
      status: true,
      config: true,
      affiliations: {
        orderBy: [{ affiliation: "asc" }, { jid: "asc" }],
        select: { id: true, jid: true, affiliation: true },
      },
      customer: { select: { id: true, name: true } },
      server: { select: { name: true } },
    },
  });
  if (!room || room.status === "DELETED") return null;
  return { ...room, config: roomConfigOf(room.config, room.title) };
}

// The rooms of one customer (portal and the staff's read-only view of it), by name.
export function listCustomerRooms(customerId: string) {
  return prisma.room.findMany({
    where: { customerId, status: { not: "DELETED" } },
    orderBy: { name: "asc" },
    select: {
      id: true,
      name: true,
      domain: true,
      title: true,
      status: true,
      affiliations: { orderBy: { jid: "asc" }, select: { id: true, jid: true, affiliation: true } },
    },
  });
}

// Rooms an invite can lead into: one customer's, or everyone's for staff.
export function listInvitableRooms(scope: { customerId?: string } = {}) {
  return prisma.room.findMany({
    where: { status: "ACTIVE", ...(scope.customerId ? { customerId: scope.customerId } : {}) },
    orderBy: { name: "asc" },
    select: { id: true, name: true, domain: true, customer: { select: { name: true } } },
  });
}
