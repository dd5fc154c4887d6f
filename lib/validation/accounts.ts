import { z } from "zod";
import { checkLocalpart, type NameCheck } from "@/provisioning/names";
import { emptyToUndefined } from "@/lib/validation/common";
import { SUSPENSION_REASONS } from "@/provisioning/suspension";

// A name checked and normalized by one of provisioning/names.ts's rules.
export function zName(check: (raw: string) => NameCheck) {
  return z.string().transform((raw, ctx) => {
    const result = check(raw);
    if (!result.ok) {
      ctx.addIssue({ code: "custom", message: result.message });
      return z.NEVER;
    }
    return result.name;
  });
}

export const ZLocalpart = zName(checkLocalpart);

export const ZXmppPassword = z
  .string()
  .min(10, "Use at least 10 characters")
  .max(1024)
  .refine(
    (p) => !/[\u0000-\u001f\u007f]/.test(p),
    "Control characters are not allowed in passwords",
  );

export const ZCreateAccount = z.object({
  customerId: z.string().min(1, "Choose a customer"),
  localpart: ZLocalpart,
  serverId: z.preprocess(emptyToUndefined, z.string().optional()),
  password: z.preprocess(emptyToUndefined, ZXmppPassword.optional()),
  displayName: z.string().trim().max(120).default(""),
});

export const ZAccountId = z.object({ accountId: z.string().min(1) });
export const ZSuspensionChange = ZAccountId.extend({
  reason: z.enum(SUSPENSION_REASONS),
  note: z.string().trim().max(500).default(""),
});
export const ZSetAccountPassword = ZAccountId.extend({
  password: z.preprocess(emptyToUndefined, ZXmppPassword.optional()),
});
