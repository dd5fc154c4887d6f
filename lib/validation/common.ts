import { z } from "zod";

export const ZId = z.string().trim().min(1, "Missing id").max(64);

export const ZEmail = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, "Enter an email address")
  .max(254, "That email address is too long")
  .email("Enter a valid email address, like name@example.org");

export const ZNewPassword = z
  .string()
  .min(12, "Use at least 12 characters")
  .max(256, "Use at most 256 characters")
  .refine((p) => new Set(p).size >= 5, "Use more different characters");

export const ZReason = z.string().trim().min(3, "Say briefly why (at least 3 characters)").max(500);

// Empty form fields arrive as "" — treat them as absent.
export const emptyToUndefined = (v: unknown) =>
  typeof v === "string" && v.trim() === "" ? undefined : v;
