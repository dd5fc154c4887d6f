"use server";
import { z } from "zod";
import { defineAction } from "@/lib/actions/define-action";
import { requires } from "@/lib/auth/require";
import { revealEmailLink } from "@/lib/notifications/send-email";

export const revealEmailLinkAction = defineAction({
  schema: z.object({ emailId: z.string().min(1) }),
  authorize: requires("outbox.read"),
  async run(input, user) {
    const link = await revealEmailLink(input.emailId, user);
    return {
      ok: true,
      message: "Forward this link to the recipient. Seeing it was recorded in the audit log.",
      data: { link },
    };
  },
});
