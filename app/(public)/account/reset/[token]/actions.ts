"use server";
import { z } from "zod";
import { defineTokenAction } from "@/lib/actions/define-action";
import { completeConsolePasswordReset } from "@/lib/console-password-reset/by-email";
import { ZNewPassword } from "@/lib/validation/common";

// The emailed link's token is the authorization: it works once, for an hour.
export const completeConsoleResetAction = defineTokenAction({
  schema: z
    .object({ token: z.string().min(20).max(100), password: ZNewPassword, confirm: z.string() })
    .refine((v) => v.password === v.confirm, {
      message: "The passwords do not match",
      path: ["confirm"],
    }),
  async run(input) {
    await completeConsolePasswordReset(input.token, input.password);
    return {
      ok: true,
      message: "Password changed. Sign in with it now; other signed-in devices were signed out.",
    };
  },
});
