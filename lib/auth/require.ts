import { AppError } from "@/core/errors";
import { can, type Permission, type Principal } from "@/lib/auth/policy";

// For defineAction's authorize: deny unless the caller's role holds the permission.
export function requireRolePermission(permission: Permission) {
  return (user: Principal) => {
    if (!can(user, permission)) throw new AppError("forbidden", "You do not have permission to do this.");
  };
}

// For actions on one of a customer's objects: staff holding `permission`, or a portal user of
// the object's customer. A missing object and someone else's look the same to portal users.
export function requireOwnerOrStaff<I>(permission: Permission, customerIdOf: (input: I) => Promise<string | null>) {
  return async (user: Principal, input: I) => {
    const customerId = await customerIdOf(input);
    if (!customerId) throw new AppError("not_found", "That does not exist.");
    if (user.role === "CUSTOMER") {
      if (user.customerId !== customerId) throw new AppError("not_found", "That does not exist.");
      return;
    }
    if (!can(user, permission)) throw new AppError("forbidden", "You do not have permission to do this.");
  };
}
