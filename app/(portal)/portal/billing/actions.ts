"use server";
import { redirect } from "next/navigation";
import { z } from "zod";
import { defineAction } from "@/lib/actions/define-action";
import { requires } from "@/lib/auth/require";
import { OWN } from "@/lib/auth/policy";
import { createPortalLink } from "@/lib/billing/checkout";

// A portal user opens Stripe's Customer Portal for their own customer only (no id is accepted).
export const openBillingPortalAction = defineAction({
  schema: z.object({}),
  authorize: requires("billing.portal", OWN),
  async run(_input, user) {
    redirect(await createPortalLink(user.customerId!, user));
  },
});
