import { z } from "zod";

const days = (label: string) =>
  z.coerce
    .number({ message: `${label} must be a number of days` })
    .int(`${label}: whole days`)
    .min(0, `${label} cannot be negative`)
    .max(3650, `${label}: at most 3650 days`);
const checkbox = z.preprocess((v) => v === "on" || v === "true" || v === true, z.boolean());

export const LOG_LEVELS = ["error", "warning", "info"] as const;

export const ZPolicyInput = z.object({
  name: z.string().trim().min(2, "Name the policy").max(80),
  mamRetentionDays: days("One-to-one retention"),
  mucRetentionDays: days("Group chat retention"),
  uploadExpiryDays: days("Upload expiry"),
  noIpLogging: checkbox.default(false),
  noPasswordLogging: checkbox.default(false),
  maxLogLevel: z.enum(LOG_LEVELS, { message: "Choose error, warning or info" }),
  forbiddenModules: z
    .string()
    .default("")
    .transform((s) =>
      s
        .split(/[\s,]+/)
        .map((m) => m.trim())
        .filter(Boolean),
    )
    .refine(
      (list) => list.every((m) => /^(mod_)?[a-z0-9_]+$/.test(m)),
      "Module names look like mod_fail2ban or log_auth",
    ),
});

export type TPolicyInput = z.infer<typeof ZPolicyInput>;

// What a privacy-first provider forbids by default: modules known to record client addresses.
export const DEFAULT_FORBIDDEN_MODULES = [
  "mod_fail2ban",
  "mod_log_auth",
  "mod_lastlog",
  "mod_lastlog2",
  "mod_http_muc_log",
  "mod_pres_counter",
  "mod_audit",
];
