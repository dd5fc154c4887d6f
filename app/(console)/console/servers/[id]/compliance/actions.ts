"use server";
import { z } from "zod";
import { defineAction } from "@/lib/actions/define-action";
import { requires } from "@/lib/auth/require";
import { shareReport } from "@/lib/compliance/reports";

export const shareReportAction = defineAction({
  schema: z.object({ checkId: z.string().min(1) }),
  authorize: requires("policies.write"),
  async run(input, user) {
    const link = await shareReport(input.checkId, user);
    return {
      ok: true,
      message:
        "Anyone with this link can read this report (and nothing else). Creating a new link replaces it.",
      data: { link },
    };
  },
});
