import type { DB } from "@/core/db";
import { AppError } from "@/core/errors";
import type { CustomerStatus } from "@/generated/sqlite/enums";
import { lockCustomer, type LockedCustomer } from "@/lib/accounts/account-slot";

// Every change of a customer's status (billing, closing, restoring, deprovisioning, terminating)
// goes through here, inside the caller's transaction. The decision is taken on the row as read
// under the customer's lock, never on an earlier read: when another change committed first, the
// move does not happen and the caller skips or refuses, so two changes never undo each other.
export type Move = {
  from: readonly CustomerStatus[];
  to: CustomerStatus;
  // A further condition on the locked row, e.g. whether the grace period has ended.
  when?: (customer: LockedCustomer) => boolean;
  data?: { closingAt?: Date | null; terminatedAt?: Date | null };
};

// The customer as it was before the move, or null when its status (or `when`) no longer allows it.
// A caller that already holds the lock in this transaction passes the locked row instead of the id.
export async function moveCustomer(
  tx: Pick<DB, "customer">,
  target: string | LockedCustomer,
  move: Move,
): Promise<LockedCustomer | null> {
  const customer =
    typeof target !== "string"
      ? target
      : await lockCustomer(tx, target).catch((error: unknown) => {
          if ((error as { code?: unknown })?.code === "P2025")
            throw new AppError("not_found", "That customer does not exist.");
          throw error;
        });
  if (!move.from.includes(customer.status)) return null;
  if (move.when && !move.when(customer)) return null;
  if (customer.status !== move.to || move.data)
    await tx.customer.update({
      where: { id: customer.id },
      data: { status: move.to, ...move.data },
    });
  return customer;
}
