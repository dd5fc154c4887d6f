import "server-only";
import { cache } from "react";
import { getServerSession } from "next-auth";
import { authOptions } from "@/lib/auth/options";
import { prisma } from "@/core/db";
import { AppError } from "@/core/errors";
import { authorize, type Permission, type Target } from "@/lib/auth/policy";
import { assertTwoFactorEnrolled } from "@/lib/auth/two-factor-gate";
import { hasEnded } from "@/lib/customers/standing";

export type SessionUser = {
  id: string;
  email: string;
  name: string;
  role: "ADMIN" | "SUPPORT" | "CUSTOMER";
  customerId: string | null;
  // A portal user whose customer's service has ended (policy.ts lets it see only that).
  customerEnded: boolean;
  totpEnabled: boolean;
  lastLoginAt: Date | null;
};

// The JWT only names the user; role, disabled state and session version are
// re-read on every request so changes take effect at once.
export const getCurrentUser = cache(async (): Promise<SessionUser | null> => {
  const session = await getServerSession(authOptions);
  const id = session?.user?.id;
  if (!id) return null;
  const user = await prisma.user.findUnique({
    where: { id },
    select: {
      id: true,
      email: true,
      name: true,
      role: true,
      customerId: true,
      disabledAt: true,
      sessionVersion: true,
      totpEnabledAt: true,
      lastLoginAt: true,
      customer: { select: { status: true } },
    },
  });
  if (!user || user.disabledAt || user.sessionVersion !== session.user.sessionVersion) return null;
  if (user.role === "CUSTOMER" && !user.customerId) return null;
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    customerId: user.customerId,
    customerEnded: user.role === "CUSTOMER" && !!user.customer && hasEnded(user.customer.status),
    totpEnabled: Boolean(user.totpEnabledAt),
    lastLoginAt: user.lastLoginAt,
  };
});

// `enrolling`: only for the actions that turn on two-factor sign-in, which staff who must
// enrol first (lib/auth/two-factor-gate.ts) may still call.
export async function requireUser(options: { enrolling?: boolean } = {}): Promise<SessionUser> {
  const user = await getCurrentUser();
  if (!user) throw new AppError("unauthenticated", "Your session has ended. Sign in again.");
  if (!options.enrolling) await assertTwoFactorEnrolled(user);
  return user;
}

// For route handlers and server code outside defineAction: the same table and rule.
export async function requirePermission(
  permission: Permission,
  target?: Target,
): Promise<SessionUser> {
  const user = await requireUser();
  authorize(user, permission, target);
  return user;
}
