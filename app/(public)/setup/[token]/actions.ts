"use server";
import { z } from "zod";
import { defineTokenAction } from "@/lib/actions/define-action";
import { createFirstAdmin } from "@/lib/users/first-admin";
import { ZEmail, ZNewPassword } from "@/lib/validation/common";

const ZFirstAdmin = z
  .object({
    token: z.string().min(20).max(100),
    name: z.string().trim().min(1, "Enter your name").max(120),
    email: ZEmail,
    password: ZNewPassword,
    confirm: z.string(),
    // An unticked checkbox is absent from the form.
    requireStaffTwoFactor: z.literal("on").optional(),
  })
  .refine((v) => v.password === v.confirm, {
    message: "The passwords do not match",
    path: ["confirm"],
  });

export const createFirstAdminAction = defineTokenAction({
  schema: ZFirstAdmin,
  async run(input) {
    await createFirstAdmin(input.token, {
      ...input,
      requireStaffTwoFactor: input.requireStaffTwoFactor === "on",
    });
    return { ok: true, message: "Admin created. You can sign in now." };
  },
});
