import type { DB } from "@/core/db";
import type { Prisma } from "@/generated/sqlite/client";
import { now } from "@/core/clock";
import type { AppError } from "@/core/errors";
import type { CustomerStatus } from "@/generated/sqlite/enums";
import { holdReasons, standingRefusal, type Asker } from "@/lib/customers/standing";

// The one rule for giving a customer a new XMPP account, whoever asks (console, portal, invite,
// sign-up): the customer's standing admits it (lib/customers/standing.ts), its plan has a free
// seat, and the username is available (not in use, and not once used by another customer).
// Callers lock the customer's row first (lockCustomer), so concurrent creations for one customer
// queue up and the seat count stays exact on PostgreSQL as well as SQLite; reserveAccount then
// checks everything again inside that transaction and records the account.

type Reader = Pick<DB, "xmppAccount" | "usernameTombstone">;
type Tx = Pick<DB, "customer" | "xmppAccount" | "usernameTombstone">;

export type UsernameQuery = { customerId: string; localpart: string; domain: string };

export type Availability =
  | { available: true; reuse: { accountId: string | null; tombstoneId: string | null } }
  | { available: false; reason: "taken" | "reserved" };

// Read-only: the username-availability route, invite creation and reserveAccount ask this.
// A customer may take back a name it deleted itself; a name another customer had stays theirs.
export async function checkUsernameAvailable(db: Reader, q: UsernameQuery): Promise<Availability> {
  const key = { localpart_domain: { localpart: q.localpart, domain: q.domain } };
  const [tombstone, existing] = await Promise.all([
    db.usernameTombstone.findUnique({ where: key, select: { id: true, customerId: true } }),
    db.xmppAccount.findUnique({ where: key, select: { id: true, status: true, customerId: true } }),
  ]);
  if (tombstone && tombstone.customerId !== q.customerId)
    return { available: false, reason: "reserved" };
  if (existing && !(existing.status === "DELETED" && existing.customerId === q.customerId)) {
    return { available: false, reason: "taken" };
  }
  return {
    available: true,
    reuse: { accountId: existing?.id ?? null, tombstoneId: tombstone?.id ?? null },
  };
}

// The accounts that hold a seat: every one not deleted and not failed. Every count of a
// customer's accounts in use (lists, exports, the portal, billing, imports) takes this filter.
export const HOLDS_SEAT = {
  status: { notIn: ["DELETED", "FAILED"] },
} satisfies Prisma.XmppAccountWhereInput;

export function seatsInUse(db: Pick<DB, "xmppAccount">, customerId: string): Promise<number> {
  return db.xmppAccount.count({ where: { customerId, ...HOLDS_SEAT } });
}

declare const locked: unique symbol;
// The customer as read under its row lock; only lockCustomer makes one.
export type LockedCustomer = {
  id: string;
  name: string;
  status: CustomerStatus;
  closingAt: Date | null;
  seats: number | null;
  rooms: number | null;
  [locked]: true;
};

// Takes the customer's row lock for the rest of the transaction (a write: PostgreSQL holds it
// until commit, SQLite has one writer anyway) and returns the row as it is now.
export async function lockCustomer(
  tx: Pick<DB, "customer">,
  customerId: string,
): Promise<LockedCustomer> {
  const row = await tx.customer.update({
    where: { id: customerId },
    data: { updatedAt: now() },
    select: {
      id: true,
      name: true,
      status: true,
      closingAt: true,
      plan: { select: { seats: true, rooms: true } },
    },
  });
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    closingAt: row.closingAt,
    seats: row.plan?.seats ?? null,
    rooms: row.plan?.rooms ?? null,
  } as LockedCustomer;
}

// Why an account cannot be had; each caller words it for the person it serves.
export type Refusal =
  | { reason: "no_plan" }
  | { reason: "status"; status: CustomerStatus; message: string }
  | { reason: "seats"; seats: number }
  | { reason: "reserved" | "taken"; address: string };

export type SlotPolicy = {
  // Who asks, for the customer's standing (lib/customers/standing.ts).
  asker: Asker;
  refuse: (refusal: Refusal) => AppError;
};

// The customer half of the rule, without the database: callers may check a snapshot early for
// a quick answer; reserveAccount checks the locked row again.
export function customerRefusal(
  customer: { status: CustomerStatus; seats: number | null },
  policy: Pick<SlotPolicy, "asker">,
): Refusal | null {
  const message = standingRefusal(customer.status, policy.asker);
  if (message) return { reason: "status", status: customer.status, message };
  if (customer.seats === null) return { reason: "no_plan" };
  return null;
}

// Checks status, seats and the username under the customer's lock, then creates the account
// (PENDING) or takes back the customer's own deleted one, clearing its tombstone. An account
// added while a hold is on the customer starts with the hold's suspension reasons.
export async function reserveAccount(
  tx: Tx,
  input: {
    customer: LockedCustomer;
    server: { id: string; domain: string };
    localpart: string;
    displayName?: string;
    recoveryEmail?: string | null;
  },
  policy: SlotPolicy,
): Promise<{ id: string; address: string }> {
  const { customer, server, localpart } = input;
  const address = `${localpart}@${server.domain}`;
  const early = customerRefusal(customer, policy);
  if (early) throw policy.refuse(early);
  const seats = customer.seats!;
  if ((await seatsInUse(tx, customer.id)) >= seats) throw policy.refuse({ reason: "seats", seats });
  const name = { customerId: customer.id, localpart, domain: server.domain };
  const availability = await checkUsernameAvailable(tx, name);
  if (!availability.available) throw policy.refuse({ reason: availability.reason, address });
  const { accountId, tombstoneId } = availability.reuse;
  const data = {
    customerId: customer.id,
    serverId: server.id,
    localpart,
    domain: server.domain,
    status: "PENDING" as const,
    suspensionReasons: JSON.stringify(holdReasons(customer.status)),
    deletedAt: null,
    ...(input.displayName !== undefined ? { displayName: input.displayName } : {}),
    ...(input.recoveryEmail !== undefined ? { recoveryEmail: input.recoveryEmail } : {}),
  };
  const account = accountId
    ? await tx.xmppAccount.update({ where: { id: accountId }, data, select: { id: true } })
    : await tx.xmppAccount
        .create({ data: { ...data, createdAt: now() }, select: { id: true } })
        .catch((error) => {
          // Another customer's creation of the same name committed first (only that customer's row
          // was locked): the unique index decides, and the name is taken.
          if (isUniqueViolation(error)) throw policy.refuse({ reason: "taken", address });
          throw error;
        });
  if (tombstoneId) await tx.usernameTombstone.delete({ where: { id: tombstoneId } });
  return { id: account.id, address };
}

export function isUniqueViolation(error: unknown): boolean {
  return (
    typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002"
  );
}
