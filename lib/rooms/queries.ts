import { prisma } from "@/core/db";
import { roomConfigOf } from "@/lib/rooms/room-config";

// Reads of group chat rooms. Room settings come merged with the defaults (`config`).

export function countRooms(): Promise<number> {
  return prisma.room.count({ where: { status: { not: "DELETED" } } });
}

// The console list: newest first.
export function listRooms() {
  return prisma.room.findMany({
    where: { status: { not: "DELETED" } },
    orderBy: { createdAt: "desc" },
    take: 200,
    select: {
      id: true,
      name: true,
      domain: true,
      title: true,
      status: true,
      createdAt: true,
      customer: { select: { id: true, name: true } },
      _count: { select: { affiliations: true } },
    },
  });
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
