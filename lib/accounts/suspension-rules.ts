import type { Role } from "@/generated/sqlite/enums";
import { AppError } from "@/core/errors";
import { SUSPENSION_REASONS, type SuspensionReason } from "@/provisioning/suspension";

// Which suspension reasons a role may add or remove by hand. Staff may use any; a customer's own
// people only their own ("customer"), so they cannot lift what staff or billing put in place.
const BY_HAND: Record<Role, readonly SuspensionReason[]> = {
  ADMIN: SUSPENSION_REASONS,
  SUPPORT: SUSPENSION_REASONS,
  CUSTOMER: ["customer"],
};

// Billing holds follow the subscription: they end when the invoice is paid, never by hand.
const NEVER_LIFTED_BY_HAND: readonly SuspensionReason[] = ["billing"];

export function settableReasons(role: Role): readonly SuspensionReason[] {
  return BY_HAND[role] ?? [];
}

export function liftableReasons(role: Role): readonly SuspensionReason[] {
  return settableReasons(role).filter((r) => !NEVER_LIFTED_BY_HAND.includes(r));
}

export function assertMayChangeReason(
  user: { role: Role },
  reason: SuspensionReason,
  suspend: boolean,
): void {
  if (!settableReasons(user.role).includes(reason)) {
    const message = "You can only suspend or restore your own accounts for your own reasons.";
    throw new AppError("forbidden", message);
  }
  if (!suspend && !liftableReasons(user.role).includes(reason)) {
    const message =
      "A billing suspension ends when the customer's invoice is paid; it cannot be removed by hand.";
    throw new AppError("invalid", message);
  }
}
