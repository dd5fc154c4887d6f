import { AppError } from "@/core/errors";
import { staffTwoFactorRequired } from "@/lib/settings/install-settings";

// The one rule for enforced staff two-factor: while admins require it, a staff sign-in without
// TOTP may only enrol. Used by requireUser (every action and route), guardPage and the console
// layout. Portal users are not concerned.
export const TWO_FACTOR_ENROLMENT_PATH = "/console/security";
export const TWO_FACTOR_REQUIRED_MESSAGE =
  "Two-factor sign-in is required for staff. Turn it on under Your sign-in (/console/security) first.";

// `staffTwoFactorRequired`: the setting when read with the user (lib/auth/session.ts).
type Caller = {
  role: "ADMIN" | "SUPPORT" | "CUSTOMER";
  totpEnabled: boolean;
  staffTwoFactorRequired?: boolean;
};

export async function mustEnrolTwoFactor(user: Caller): Promise<boolean> {
  if (user.role === "CUSTOMER" || user.totpEnabled) return false;
  return user.staffTwoFactorRequired ?? staffTwoFactorRequired();
}

export async function assertTwoFactorEnrolled(user: Caller): Promise<void> {
  if (await mustEnrolTwoFactor(user)) throw new AppError("forbidden", TWO_FACTOR_REQUIRED_MESSAGE);
}
