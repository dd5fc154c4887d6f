import type { Role } from "@/generated/sqlite/enums";

// Deny by default: a role holds only the permissions listed here.
export const PERMISSIONS = [
  "console.view",
  "customers.read",
  "customers.write",
  "customers.delete",
  "plans.read",
  "plans.write",
  "portalUsers.write",
  "accounts.read",
  "accounts.write",
  "accounts.reset",
  "invites.write",
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
  "portal.view",
] as const;

export type Permission = (typeof PERMISSIONS)[number];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  ADMIN: PERMISSIONS.filter((p) => p !== "portal.view"),
  SUPPORT: ["console.view", "customers.read", "accounts.read", "accounts.reset", "invites.write", "audit.read", "servers.read", "jobs.read"],
  CUSTOMER: ["portal.view"],
};

export type Principal = { id: string; role: Role; customerId: string | null };

export function can(user: Principal | null | undefined, permission: Permission): boolean {
  if (!user) return false;
  return ROLE_PERMISSIONS[user.role]?.includes(permission) ?? false;
}

export function isStaff(user: Principal | null | undefined): boolean {
  return user?.role === "ADMIN" || user?.role === "SUPPORT";
}

// A portal user reaches only its own customer; staff reach a customer when they hold the permission.
export function canAccessCustomer(user: Principal | null | undefined, customerId: string, staffPermission: Permission): boolean {
  if (!user) return false;
  if (user.role === "CUSTOMER") return user.customerId !== null && user.customerId === customerId;
  return can(user, staffPermission);
}
