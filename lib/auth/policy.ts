import type { Role } from "@/generated/sqlite/enums";
import { AppError } from "@/core/errors";

// The one permission table. Deny by default: a role holds only the permissions listed for it,
// and every action, route and page asks this table (through authorize, can or guardPage).
export const PERMISSIONS = [
  // The console (staff).
  "console.view",
  "customers.read",
  "customers.write",
  "customers.delete",
  "plans.read",
  "plans.write",
  "staff.manage",
  "audit.read",
  "billing.read",
  "servers.read",
  "servers.write",
  "policies.read",
  "policies.write",
  "jobs.read",
  "jobs.manage",
  "outbox.read",
  // A customer's things: staff reach every customer's, portal users their own customer's.
  "accounts.read",
  "accounts.write", // create and delete accounts
  "accounts.suspend", // add or lift a suspension reason (which: lib/accounts/suspension-rules.ts)
  "accounts.password", // set an account's password or recovery email
  "accounts.reset", // support tools: reset links, temporary passwords, ending sessions
  "rooms.write",
  "invites.write",
  "portalUsers.write",
  // The portal: what a customer's own people do to their customer.
  "portal.view",
  "service.close", // close the service, or restore it during the grace period
  "billing.portal", // Stripe's Customer Portal: cards, invoices, cancellation
  "customers.export", // download everything Parley keeps about the customer
  // Everyone signed in, on their own sign-in: password, two-factor, notifications.
  "self.manage",
] as const;

export type Permission = (typeof PERMISSIONS)[number];

// Staff grants hold for every customer; a portal user's grants hold for its own customer only.
export const ROLE_SCOPE: Record<Role, "global" | "own-customer"> = {
  ADMIN: "global",
  SUPPORT: "global",
  CUSTOMER: "own-customer",
};

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  ADMIN: [
    "console.view",
    "customers.read",
    "customers.write",
    "customers.delete",
    "plans.read",
    "plans.write",
    "staff.manage",
    "audit.read",
    "billing.read",
    "servers.read",
    "servers.write",
    "policies.read",
    "policies.write",
    "jobs.read",
    "jobs.manage",
    "outbox.read",
    "accounts.read",
    "accounts.write",
    "accounts.suspend",
    "accounts.password",
    "accounts.reset",
    "rooms.write",
    "invites.write",
    "portalUsers.write",
    "self.manage",
  ],
  SUPPORT: [
    "console.view",
    "customers.read",
    "audit.read",
    "servers.read",
    "jobs.read",
    "accounts.read",
    "accounts.suspend",
    "accounts.password",
    "accounts.reset",
    "invites.write",
    "self.manage",
  ],
  CUSTOMER: [
    "portal.view",
    "accounts.write",
    "accounts.suspend",
    "accounts.password",
    "rooms.write",
    "invites.write",
    "portalUsers.write",
    "service.close",
    "billing.portal",
    "customers.export",
    "self.manage",
  ],
};

// customerEnded: a portal user whose customer's service is closed or terminated (read with the
// session, lib/customers/standing.ts hasEnded); such a user holds nothing any more and only sees
// /service-ended, where the portal layout sends it.
export type Principal = {
  id: string;
  role: Role;
  customerId: string | null;
  customerEnded?: boolean;
};
type Caller = Principal | null | undefined;

// What a check is about: one customer's object, named by the customer that owns it (null: no
// such object), or OWN, the caller's own customer and sign-in (for what takes no id at all).
export const OWN = "own" as const;
export type Target = { customerId: string | null } | typeof OWN;

export type Decision = "allow" | "unauthenticated" | "forbidden" | "not_found" | "ended";

export function holds(user: Caller, permission: Permission): boolean {
  if (!user) return false;
  return ROLE_PERMISSIONS[user.role]?.includes(permission) ?? false;
}

// The single rule. A missing object, and for portal users another customer's, is not_found (the
// two look the same); a permission the role lacks is forbidden. A portal user's grant needs a
// target: without one, nothing says the object is its own, so it is refused.
export function decide(user: Caller, permission: Permission, target?: Target): Decision {
  if (!user) return "unauthenticated";
  if (!holds(user, permission)) return "forbidden";
  if (ROLE_SCOPE[user.role] === "own-customer" && user.customerEnded) return "ended";
  if (target !== undefined && target !== OWN && target.customerId === null) return "not_found";
  if (ROLE_SCOPE[user.role] === "global") return "allow";
  if (target === undefined) return "forbidden";
  if (!user.customerId) return "not_found";
  if (target !== OWN && target.customerId !== user.customerId) return "not_found";
  return "allow";
}

export function can(user: Caller, permission: Permission, target?: Target): boolean {
  return decide(user, permission, target) === "allow";
}

const DENIED: Record<Exclude<Decision, "allow">, string> = {
  unauthenticated: "Your session has ended. Sign in again.",
  forbidden: "You do not have permission to do this.",
  not_found: "That does not exist.",
  ended: "Your service has ended, so nothing can be changed here any more.",
};

// Throws the AppError for a refusal; `what` names the object in the not-found message.
export function authorize(
  user: Caller,
  permission: Permission,
  target?: Target,
  what?: string,
): void {
  const decision = decide(user, permission, target);
  if (decision === "allow") return;
  const message =
    decision === "not_found" && what ? `That ${what} does not exist.` : DENIED[decision];
  throw new AppError(decision === "ended" ? "forbidden" : decision, message);
}

export function isStaff(user: Pick<Principal, "role"> | null | undefined): boolean {
  return user?.role === "ADMIN" || user?.role === "SUPPORT";
}
