import { AppError, HTTP_STATUS } from "@/core/errors";
import { requirePermission, type SessionUser } from "@/lib/auth/session";
import type { Permission, Target } from "@/lib/auth/policy";

// For route handlers: the caller, or the reply that refuses them (401, 403 or 404).
export async function guardRoute(
  permission: Permission,
  target?: Target,
): Promise<SessionUser | Response> {
  try {
    return await requirePermission(permission, target);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    const message = error.code === "unauthenticated" ? "Sign in first." : error.message;
    return Response.json({ message }, { status: HTTP_STATUS[error.code] });
  }
}
