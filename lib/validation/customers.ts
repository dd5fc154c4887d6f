import { z } from "zod";
import { ZEmail, emptyToUndefined } from "@/lib/validation/common";

export const CUSTOMER_KINDS = ["PERSON", "FAMILY", "COMPANY"] as const;
export const CUSTOMER_STATUSES = [
  "PENDING",
  "ACTIVE",
  "PAST_DUE",
  "SUSPENDED",
  "CLOSING",
  "CLOSED",
  "TERMINATED",
] as const;

export const ZCustomerInput = z.object({
  name: z.string().trim().min(2, "Enter the customer's name (at least 2 characters)").max(120),
  kind: z.enum(CUSTOMER_KINDS, { message: "Choose person, family or company" }),
  contactEmail: ZEmail,
  planId: z.preprocess(emptyToUndefined, z.string().max(64).optional()),
  notes: z.string().trim().max(2000).default(""),
});

export type TCustomerInput = z.infer<typeof ZCustomerInput>;

export const ZPortalUserInput = z.object({
  customerId: z.string().min(1),
  name: z.string().trim().min(1, "Enter a name").max(120),
  email: ZEmail,
});
