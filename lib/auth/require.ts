import { authorize, holds, OWN, type Permission, type Principal } from "@/lib/auth/policy";
import type { Owner } from "@/lib/auth/owners";

// What an action requires: a permission from the table, and what it is exercised on. `on` is
// the owner of the object the input names (lib/auth/owners.ts), or OWN for actions that take
// no id (they act on the caller's own customer or sign-in); without it, only global grants do.
export type Requirement<I> = { permission: Permission; on?: Owner<I> | typeof OWN };

export function requires<I = unknown>(
  permission: Permission,
  on?: Owner<I> | typeof OWN,
): Requirement<I> {
  return { permission, on };
}

// defineAction's check, before anything else is read or written: a caller whose role lacks the
// permission is refused without a lookup; otherwise the object's owner decides (policy.ts).
export async function checkRequirement<I>(
  user: Principal,
  requirement: Requirement<I>,
  input: I,
): Promise<void> {
  const { permission, on } = requirement;
  if (!holds(user, permission) || on === undefined) return authorize(user, permission);
  if (on === OWN) return authorize(user, permission, OWN);
  authorize(user, permission, { customerId: await on.of(input) }, on.what);
}
