"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { defineAction } from "@/lib/actions/define-action";
import { requires } from "@/lib/auth/require";
import { inviteUser } from "@/lib/users/invite-user";
import {
  changeStaffRole,
  setUserDisabled,
  signOutEverywhere,
  unlockUser,
} from "@/lib/users/manage-user";
import { resetTwoFactor } from "@/lib/users/two-factor";
import { setStaffTwoFactorRequired } from "@/lib/settings/install-settings";
import { ZChangeRole, ZStaffInvite, ZUserId } from "@/lib/validation/users";
import { ZId } from "@/lib/validation/common";

const staffOnly = requires("staff.manage");

function done(message: string) {
  revalidatePath("/console/staff");
  return { ok: true as const, message };
}

export const inviteStaffAction = defineAction({
  schema: ZStaffInvite,
  authorize: staffOnly,
  async run(input, user) {
    const { link } = await inviteUser(input, user);
    revalidatePath("/console/staff");
    return {
      ok: true,
      message: `Invitation sent to ${input.email}. You can also hand over this link:`,
      data: { link },
    };
  },
});

export const unlockUserAction = defineAction({
  schema: ZUserId,
  authorize: staffOnly,
  async run(input, user) {
    await unlockUser(input.userId, user);
    return done("Unlocked: they can sign in again.");
  },
});

export const setUserDisabledAction = defineAction({
  schema: z.object({ userId: ZId, disabled: z.enum(["true", "false"]) }),
  authorize: staffOnly,
  async run(input, user) {
    await setUserDisabled(input.userId, input.disabled === "true", user);
    return done(input.disabled === "true" ? "Disabled: their sessions ended." : "Enabled.");
  },
});

export const changeStaffRoleAction = defineAction({
  schema: ZChangeRole,
  authorize: staffOnly,
  async run(input, user) {
    await changeStaffRole(input.userId, input.role, user);
    return done("Role changed: it applies to their next click.");
  },
});

export const resetTwoFactorAction = defineAction({
  schema: ZUserId,
  authorize: staffOnly,
  async run(input, user) {
    await resetTwoFactor(input.userId, user);
    return done("Two-factor sign-in reset: they will be asked to set it up again.");
  },
});

export const signOutEverywhereAction = defineAction({
  schema: ZUserId,
  authorize: staffOnly,
  async run(input, user) {
    await signOutEverywhere(input.userId, user);
    return done("All their sessions ended.");
  },
});

export const setStaffTwoFactorAction = defineAction({
  schema: z.object({ required: z.enum(["on", "off"], { error: "Choose on or off" }) }),
  authorize: staffOnly,
  async run(input, user) {
    await setStaffTwoFactorRequired(input.required === "on", user);
    return done(
      input.required === "on"
        ? "Two-factor sign-in is now required for staff."
        : "Two-factor sign-in is now optional for staff.",
    );
  },
});
