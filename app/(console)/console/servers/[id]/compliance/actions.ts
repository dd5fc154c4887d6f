"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { defineAction } from "@/lib/actions/define-action";
import { requires } from "@/lib/auth/require";
import { formatDateTime } from "@/app/_components/ui";
import {
  revokeShareLink,
  shareReport,
  ZRevokeShareLink,
  ZShareReport,
} from "@/lib/compliance/reports";
import { requestEvaluation } from "@/lib/evaluation/request";
import { ZId } from "@/lib/validation/common";

export const shareReportAction = defineAction({
  schema: ZShareReport,
  authorize: requires("policies.write"),
  async run(input, user) {
    const { link, expiresAt } = await shareReport(input, user);
    revalidatePath("/console/servers/[id]/compliance", "page");
    return {
      ok: true,
      message: `Anyone with this link can read this report (and nothing else) until ${formatDateTime(expiresAt)}. Withdraw it below at any time.`,
      data: { link },
    };
  },
});

export const revokeShareLinkAction = defineAction({
  schema: ZRevokeShareLink,
  authorize: requires("policies.write"),
  async run(input, user) {
    await revokeShareLink(input, user);
    revalidatePath("/console/servers/[id]/compliance", "page");
    return { ok: true, message: "Link withdrawn: it no longer opens the report." };
  },
});

export const evaluateNowAction = defineAction({
  schema: z.object({ serverId: ZId }),
  authorize: requires("policies.write"),
  async run(input, user) {
    await requestEvaluation(input.serverId, user);
    revalidatePath("/console/servers/[id]/compliance", "page");
    return {
      ok: true,
      message:
        "Live check queued: Parley signs in with its probe account and grades TLS on each port. Reload in a minute.",
    };
  },
});
