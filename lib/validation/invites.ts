import { z } from "zod";
import { emptyToUndefined } from "@/lib/validation/common";
import { ZLocalpart, ZXmppPassword } from "@/lib/validation/accounts";

export const INVITE_EXPIRIES = {
  "1h": 1,
  "12h": 12,
  "1d": 24,
  "7d": 7 * 24,
  "28d": 28 * 24,
  never: null,
} as const;
export type InviteExpiry = keyof typeof INVITE_EXPIRIES;

export const ZCreateInvite = z
  .object({
    customerId: z.string().min(1, "Choose a customer"),
    kind: z.enum(["ACCOUNT", "ROOM", "CONTACT"], { message: "Choose what the invite is for" }),
    localpart: z.preprocess(emptyToUndefined, ZLocalpart.optional()),
    maxUses: z.coerce
      .number({ message: "Enter a number" })
      .int()
      .min(1, "At least 1 use")
      .max(1000, "At most 1000 uses")
      .default(1),
    expiry: z.enum(Object.keys(INVITE_EXPIRIES) as [InviteExpiry, ...InviteExpiry[]]).default("7d"),
    roomId: z.preprocess(emptyToUndefined, z.string().optional()),
    accountId: z.preprocess(emptyToUndefined, z.string().optional()),
    serverId: z.preprocess(emptyToUndefined, z.string().optional()),
    note: z.string().trim().max(200).default(""),
  })
  .superRefine((v, ctx) => {
    if (v.kind === "ROOM" && !v.roomId)
      ctx.addIssue({ code: "custom", path: ["roomId"], message: "Choose the room" });
    if (v.kind === "CONTACT" && !v.accountId)
      ctx.addIssue({
        code: "custom",
        path: ["accountId"],
        message: "Choose whose contact the new person becomes",
      });
    if (v.localpart && v.maxUses > 1)
      ctx.addIssue({
        code: "custom",
        path: ["maxUses"],
        message: "An invite for a fixed username can be used once",
      });
  });

export type TCreateInvite = z.infer<typeof ZCreateInvite>;

export const ZInviteToken = z
  .string()
  .regex(/^[A-Za-z0-9_-]{40,64}$/, "This invite link is not complete");

export const ZRedeemInvite = z
  .object({
    token: ZInviteToken,
    localpart: ZLocalpart,
    password: ZXmppPassword,
    confirm: z.string(),
  })
  .refine((v) => v.password === v.confirm, {
    message: "The passwords do not match",
    path: ["confirm"],
  });

export const ZInviteId = z.object({ inviteId: z.string().min(1) });
