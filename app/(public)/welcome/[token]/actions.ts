"use server";
import { z } from "zod";
import { defineTokenAction } from "@/lib/actions/define-action";
import { acceptWelcome } from "@/lib/users/accept-welcome";
import { ZSetPassword } from "@/lib/validation/users";

export const acceptWelcomeAction = defineTokenAction({
  schema: z.intersection(z.object({ token: z.string().min(20).max(100) }), ZSetPassword),
  async run(input) {
    await acceptWelcome(input.token, input);
    return { ok: true, message: "Your password is set. You can sign in now." };
  },
});
