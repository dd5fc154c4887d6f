"use server";
import { z } from "zod";
import { defineTokenAction } from "@/lib/actions/define-action";
import { requestChatPasswordReset } from "@/lib/chat-password-reset/by-owner";

// Public: the answer is the same whether or not the address exists or has a recovery email.
export const requestAccountResetAction = defineTokenAction({
  schema: z.object({
    address: z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^[^@\s]+@[^@\s]+$/, "Enter the full address, like name@example.org")
      .max(300),
  }),
  async run(input) {
    await requestChatPasswordReset(input.address);
    return {
      ok: true,
      message:
        "If that address has a recovery email, a reset link is on its way to it. It works for 24 hours.",
    };
  },
});
