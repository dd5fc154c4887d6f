import { AppError } from "@/lib/auth/errors";
import { can, type Permission, type Principal } from "@/lib/auth/policy";

// For defineAction's authorize: deny unless the caller's role holds the permission.
export function requireRolePermission(permission: Permission) {
  return (user: Principal) => {
    if (!can(user, permission)) throw new AppError("forbidden", "You do not have permission to do this.");
  };
}
