"use server";
import { redirect } from "next/navigation";
import { z } from "zod";
import { defineTokenAction } from "@/lib/actions/define-action";
import { AppError } from "@/core/errors";
import { startSignup } from "@/lib/billing/signup";
import { allowAttempt } from "@/lib/rate-limit/attempts";
import { ZEmail } from "@/lib/validation/common";

// Public by design (when PUBLIC_SIGNUP=on): anyone may start a sign-up; nothing is active
// until Stripe confirms the payment. Throttled globally, without looking at who calls.
export const startSignupAction = defineTokenAction({
  schema: z.object({
    name: z.string().trim().min(2, "Enter a name (at least 2 characters)").max(120),
    kind: z.enum(["PERSON", "FAMILY", "COMPANY"]),
    email: ZEmail,
    planId: z.string().min(1, "Choose a plan"),
  }),
  async run(input) {
    if (!(await allowAttempt("signup", "all", 120, 60_000)))
      throw new AppError(
        "rate_limited",
        "Many people are signing up right now. Try again in a minute.",
      );
    redirect(await startSignup(input));
  },
});
