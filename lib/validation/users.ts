import { z } from "zod";
import { ZEmail, ZId, ZNewPassword } from "@/lib/validation/common";

export const ZStaffInvite = z.object({
  name: z.string().trim().min(1, "Enter a name").max(120),
  email: ZEmail,
  role: z.enum(["ADMIN", "SUPPORT"], { message: "Choose admin or support" }),
});

export const ZSetPassword = z
  .object({
    name: z.string().trim().min(1, "Enter your name").max(120),
    password: ZNewPassword,
    confirm: z.string(),
  })
  .refine((v) => v.password === v.confirm, {
    message: "The passwords do not match",
    path: ["confirm"],
  });

export const ZUserId = z.object({ userId: ZId });
export const ZChangeRole = z.object({ userId: ZId, role: z.enum(["ADMIN", "SUPPORT"]) });
