"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { defineAction } from "@/lib/actions/define-action";
import { requires } from "@/lib/auth/require";
import { OWN } from "@/lib/auth/policy";
import { changeOwnPassword } from "@/lib/users/change-password";
import {
  confirmTwoFactorEnrollment,
  regenerateRecoveryCodes,
  startTwoFactorEnrollment,
} from "@/lib/users/two-factor";
import { ZNewPassword } from "@/lib/validation/common";
import { markAllNotificationsRead } from "@/lib/notifications/mark-read";

// Every signed-in user may act on their own sign-in and nothing else: no ids are accepted.
const self = requires("self.manage", OWN);

function refresh() {
  revalidatePath("/console/security");
  revalidatePath("/portal/security");
}

export const startTwoFactorAction = defineAction({
  schema: z.object({}),
  authorize: self,
  enrolling: true,
  async run(_input, user) {
    await startTwoFactorEnrollment(user);
    refresh();
    return {
      ok: true,
      message: "Scan the code with your authenticator app, then enter the 6-digit code it shows.",
    };
  },
});

export const confirmTwoFactorAction = defineAction({
  schema: z.object({
    code: z
      .string()
      .trim()
      .regex(/^\d{6}$/, "Enter the 6 digits your app shows"),
  }),
  authorize: self,
  enrolling: true,
  async run(input, user) {
    const codes = await confirmTwoFactorEnrollment(user, input.code);
    // No refresh here: the page would swap to its "on" view and hide the codes before they are saved.
    return { ok: true, message: "Two-factor sign-in is on.", data: { codes } };
  },
});

export const regenerateRecoveryCodesAction = defineAction({
  schema: z.object({ password: z.string().min(1, "Enter your current password") }),
  authorize: self,
  async run(input, user) {
    const codes = await regenerateRecoveryCodes(user, input.password);
    return {
      ok: true,
      message: "New recovery codes made; the old ones no longer work.",
      data: { codes },
    };
  },
});

export const changePasswordAction = defineAction({
  schema: z
    .object({
      current: z.string().min(1, "Enter your current password"),
      password: ZNewPassword,
      confirm: z.string(),
    })
    .refine((v) => v.password === v.confirm, {
      message: "The passwords do not match",
      path: ["confirm"],
    }),
  authorize: self,
  async run(input, user) {
    await changeOwnPassword(user, input.current, input.password);
    return {
      ok: true,
      message: "Password changed. Every session has ended: sign in again with the new password.",
    };
  },
});

export const markNotificationsReadAction = defineAction({
  schema: z.object({}),
  authorize: self,
  async run(_input, user) {
    const count = await markAllNotificationsRead(user);
    revalidatePath("/console/notifications");
    revalidatePath("/portal");
    return { ok: true, message: count ? `Marked ${count} as read.` : "Nothing unread." };
  },
});
