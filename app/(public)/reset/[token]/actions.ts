"use server";
import { z } from "zod";
import { defineTokenAction } from "@/lib/actions/define-action";
import { resetChatPasswordWithLink } from "@/lib/chat-password-reset/reset-links";
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
    const { address } = await resetChatPasswordWithLink(input.token, input.password);
    return {
      ok: true,
      message: `Your new password for ${address} is being set; it works within a minute, and the old one stops working.`,
    };
  },
});
