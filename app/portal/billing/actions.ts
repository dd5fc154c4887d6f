"use server";
import { redirect } from "next/navigation";
import { z } from "zod";
import { defineAction } from "@/lib/actions/define-action";
import { AppError } from "@/core/errors";
import { createPortalLink } from "@/lib/billing/checkout";

// A portal user opens Stripe's Customer Portal for their own customer only (no id is accepted).
export const openBillingPortalAction = defineAction({
  schema: z.object({}),
  authorize(user) {
    if (user.role !== "CUSTOMER" || !user.customerId) throw new AppError("forbidden", "Only a customer's portal users manage its payments.");
  },
  async run(_input, user) {
    redirect(await createPortalLink(user.customerId!, user));
  },
});
