"use server";
import { z } from "zod";
import { defineTokenAction } from "@/lib/actions/define-action";
import { requestConsolePasswordReset } from "@/lib/console-password-reset/by-email";
import { ZEmail } from "@/lib/validation/common";

// Public: the answer is the same whether or not the email belongs to anyone.
export const requestConsoleResetAction = defineTokenAction({
  schema: z.object({ email: ZEmail }),
  async run(input) {
    await requestConsolePasswordReset(input.email);
    return {
      ok: true,
      message:
        "If that email belongs to a Parley sign-in, a link to choose a new password is on its way. It works for an hour.",
    };
  },
});
