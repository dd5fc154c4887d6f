import type { DB } from "@/core/db";
import { now } from "@/core/clock";
import { AppError } from "@/core/errors";
import { isUniqueViolation, type LockedCustomer } from "@/lib/accounts/account-slot";
import { assertStanding, type Asker } from "@/lib/customers/standing";

// The one rule for giving a customer a new room, whoever asks (console or portal), like
// account-slot.ts for accounts: the customer's standing admits it, its plan has a free room, and
// the address is free (not in use, and not once used by another customer: a deleted room's
// address stays with the customer that had it). Callers hold the customer's row lock
// (lockCustomer) in the same transaction, so concurrent creations queue up and the room count
// stays exact on PostgreSQL as well as SQLite.

type Tx = Pick<DB, "room" | "roomTombstone">;
type Address = { name: string; domain: string };

export function roomsInUse(db: Pick<DB, "room">, customerId: string): Promise<number> {
  return db.room.count({ where: { customerId, status: { notIn: ["DELETED", "FAILED"] } } });
}

// Checks everything under the lock and frees the customer's own deleted room of that address,
// so the caller can create the new row.
export async function claimRoomSlot(
  tx: Tx,
  customer: LockedCustomer,
  asker: Asker,
  address: Address,
): Promise<void> {
  assertStanding(customer.status, asker);
  if (customer.rooms === null)
    throw new AppError("invalid", "This customer has no plan yet, so it cannot have rooms.");
  if ((await roomsInUse(tx, customer.id)) >= customer.rooms)
    throw new AppError(
      "conflict",
      `All ${customer.rooms} rooms of this customer's plan are in use. Delete a room or change the plan.`,
    );
  const key = { name_domain: address };
  const [existing, tombstone] = await Promise.all([
    tx.room.findUnique({ where: key, select: { status: true, customerId: true } }),
    tx.roomTombstone.findUnique({ where: key, select: { id: true, customerId: true } }),
  ]);
  const room = `${address.name}@${address.domain}`;
  if (existing && existing.status !== "DELETED")
    throw new AppError("conflict", `${room} exists already.`, { name: ["Taken"] });
  if (
    (tombstone && tombstone.customerId !== customer.id) ||
    (existing && existing.customerId !== customer.id)
  )
    throw new AppError(
      "conflict",
      `${room} belonged to someone else before and cannot be reused. Choose another name.`,
      { name: ["Used before; choose another"] },
    );
  if (existing) await tx.room.delete({ where: key });
  if (tombstone) await tx.roomTombstone.delete({ where: { id: tombstone.id } });
}

// The unique index decides between two customers creating the same new address at once (only
// each one's own row is locked): the later one is told it is taken.
export function roomTakenOnRace(address: Address) {
  return (error: unknown): never => {
    if (isUniqueViolation(error))
      throw new AppError("conflict", `${address.name}@${address.domain} exists already.`, {
        name: ["Taken"],
      });
    throw error;
  };
}

// Once the server has destroyed the room: the row is marked deleted and its address
// tombstoned for its customer, in one transaction.
export async function finishRoomDeletion(
  db: Pick<DB, "$transaction">,
  room: { id: string; name: string; domain: string; customerId: string },
): Promise<void> {
  await db.$transaction(async (tx) => {
    await tx.room.update({ where: { id: room.id }, data: { status: "DELETED" } });
    await tx.roomTombstone.upsert({
      where: { name_domain: { name: room.name, domain: room.domain } },
      create: {
        name: room.name,
        domain: room.domain,
        customerId: room.customerId,
        deletedAt: now(),
      },
      update: {},
    });
  });
}
