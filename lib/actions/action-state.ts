import type { AppErrorCode } from "@/lib/auth/errors";

// What every server action returns to its form.
export type ActionState =
  | { ok: true; message?: string; data?: Record<string, unknown> }
  | { ok: false; code: AppErrorCode | "error"; message: string; fieldErrors?: Record<string, string[]> }
  | undefined;
