import { AppError } from "@/core/errors";
import type { CustomerStatus, Role } from "@/generated/sqlite/enums";
import type { SuspensionReason } from "@/provisioning/suspension";

// The one rule for what a customer's status lets people add to it: new accounts, rooms and
// invites, and accounts brought back from a suspension. Every path asks it inside the
// transaction that holds the customer's row lock (lockCustomer), so a status change commits
// either before the addition (which is refused) or after it (which then applies to it).

// Who asks: staff from the console, the customer's own people from the portal, or someone
// redeeming an invite (and every invite is made for such a person).
export type Asker = "staff" | "portal" | "invitee";

export function askerOf(actor: { role: Role }): Asker {
  return actor.role === "CUSTOMER" ? "portal" : "staff";
}

// Staff may still add to a customer whose service is suspended for billing (the new accounts
// start suspended, see holdReasons) or not yet paid; the customer's own people only while the
// service runs; invites only to an active customer. Nobody adds to a closing or ended one.
const ADMITS: Record<CustomerStatus, readonly Asker[]> = {
  PENDING: ["staff"],
  ACTIVE: ["staff", "portal", "invitee"],
  PAST_DUE: ["staff", "portal"],
  SUSPENDED: ["staff"],
  CLOSING: [],
  CLOSED: [],
  TERMINATED: [],
};

// Statuses after which a customer's people may use nothing: they only see that it has ended.
export function hasEnded(status: CustomerStatus): boolean {
  return status === "CLOSED" || status === "TERMINATED";
}

const WHY: Record<Asker, Partial<Record<CustomerStatus, string>>> = {
  staff: {
    CLOSING: "This customer is closing its service. Restore the service first to add anything.",
    CLOSED: "This customer closed its service; nothing can be added to it.",
    TERMINATED: "This customer's service was terminated; nothing can be added to it.",
  },
  portal: {
    PENDING: "Your service starts once the first payment has gone through.",
    SUSPENDED:
      "Your service is suspended until the outstanding invoice is paid; nothing can be added or restored until then.",
    CLOSING: "Your service is closing. Restore it under Service first.",
    CLOSED: "Your service has ended.",
    TERMINATED: "Your service has ended.",
  },
  invitee: {},
};
const INVITEE_REFUSED =
  "This invite no longer works: the service it belongs to is not active. Ask whoever invited you.";

// null when the asker may add to a customer in this status; otherwise why not, in words for them.
export function standingRefusal(status: CustomerStatus, asker: Asker): string | null {
  if (ADMITS[status].includes(asker)) return null;
  if (asker === "invitee") return INVITEE_REFUSED;
  return WHY[asker][status] ?? "This customer cannot have anything added right now.";
}

export function assertStanding(status: CustomerStatus, asker: Asker): void {
  const why = standingRefusal(status, asker);
  if (why) throw new AppError("invalid", why);
}

// The suspension reasons a customer's hold puts on every account (lib/customers/holds.ts); an
// account added while the hold is in force starts with them, so its creation job leaves it
// suspended on the server.
export function holdReasons(status: CustomerStatus): SuspensionReason[] {
  if (status === "SUSPENDED") return ["billing"];
  if (status === "CLOSING") return ["closing"];
  return [];
}
