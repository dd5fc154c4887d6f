import { z } from "zod";
import { emptyToUndefined } from "@/lib/validation/common";

const count = (label: string, max: number) =>
  z.coerce
    .number({ message: `${label} must be a number` })
    .int(`${label} must be a whole number`)
    .min(0, `${label} cannot be negative`)
    .max(max, `${label} can be at most ${max}`);

export const ZPlanInput = z.object({
  name: z.string().trim().min(2, "Give the plan a name (at least 2 characters)").max(80),
  description: z.string().trim().max(500).default(""),
  seats: count("Seats", 100000).refine((n) => n >= 1, "A plan needs at least 1 seat"),
  rooms: count("Rooms", 100000),
  retentionDays: count("Retention", 3650),
  price: z.preprocess(
    emptyToUndefined,
    z.coerce.number({ message: "Price must be a number, e.g. 4.50" }).min(0).max(100000).optional(),
  ),
  currency: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{3}$/, "Use a 3-letter currency code, e.g. EUR")
    .default("EUR"),
  stripePriceId: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .trim()
      .regex(/^price_[A-Za-z0-9]+$/, "A Stripe price id looks like price_1Abc…")
      .optional(),
  ),
});

export type TPlanInput = z.infer<typeof ZPlanInput>;
