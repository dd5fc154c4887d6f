"use server";
import { z } from "zod";
import { defineTokenAction } from "@/lib/actions/define-action";
import { AppError } from "@/core/errors";
import { resetChatPasswordWithLink } from "@/lib/chat-password-reset/reset-links";
import { allowAttempt } from "@/lib/rate-limit/attempts";
import { ZXmppPassword } from "@/lib/validation/accounts";

// The reset link's token is the authorization: it works once.
export const resetPasswordAction = defineTokenAction({
  schema: z
    .object({
      token: z.string().regex(/^[A-Za-z0-9_-]{40,64}$/, "This link is not complete"),
      password: ZXmppPassword,
      confirm: z.string(),
    })
    .refine((v) => v.password === v.confirm, {
      message: "The passwords do not match",
      path: ["confirm"],
    }),
  async run(input) {
    if (!(await allowAttempt("reset", input.token, 20, 10 * 60_000)))
      throw new AppError("rate_limited", "Too many attempts with this link. Wait a few minutes.");
    const { address } = await resetChatPasswordWithLink(input.token, input.password);
    return {
      ok: true,
      message: `Your new password for ${address} is being set; it works within a minute, and the old one stops working.`,
    };
  },
});
