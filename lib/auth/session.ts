import "server-only";
import { cache } from "react";
import { getServerSession } from "next-auth";
import { authOptions } from "@/lib/auth/options";
import { prisma, sqlOf } from "@/core/db";
import { date } from "@/core/sql";
import type { CustomerStatus } from "@/generated/sqlite/enums";
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
  // The install's setting as read with the user (lib/auth/two-factor-gate.ts applies it).
  staffTwoFactorRequired?: boolean;
};

// The JWT only names the user; role, disabled state and session version are
// re-read on every request so changes take effect at once. One driver-level statement reads the
// user, its customer's status and whether staff must use two-factor sign-in: every page and
// action starts here, and as three Prisma queries it cost three round trips in a row.
const READ_USER = `SELECT u."id", u."email", u."name", u."role", u."customerId", u."disabledAt",
    u."sessionVersion", u."totpEnabledAt", u."lastLoginAt", c."status" AS "customerStatus",
    (SELECT s."requireStaffTwoFactor" FROM "InstallSettings" s WHERE s."id" = 1) AS "twoFactor"
  FROM "User" u LEFT JOIN "Customer" c ON c."id" = u."customerId"
  WHERE u."id" = $1`;

type UserRow = {
  id: string;
  email: string;
  name: string;
  role: SessionUser["role"];
  customerId: string | null;
  disabledAt: unknown;
  sessionVersion: number | bigint;
  totpEnabledAt: unknown;
  lastLoginAt: unknown;
  customerStatus: CustomerStatus | null;
  twoFactor: boolean | number | null;
};

export const getCurrentUser = cache(async (): Promise<SessionUser | null> => {
  const session = await getServerSession(authOptions);
  const id = session?.user?.id;
  if (!id) return null;
  const [user] = await sqlOf(prisma).query<UserRow>(READ_USER, [id], "parley_session_user");
  if (!user || user.disabledAt || Number(user.sessionVersion) !== session.user.sessionVersion)
    return null;
  if (user.role === "CUSTOMER" && !user.customerId) return null;
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    customerId: user.customerId,
    customerEnded:
      user.role === "CUSTOMER" && !!user.customerStatus && hasEnded(user.customerStatus),
    totpEnabled: Boolean(user.totpEnabledAt),
    lastLoginAt: date(user.lastLoginAt),
    staffTwoFactorRequired: Boolean(user.twoFactor),
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
