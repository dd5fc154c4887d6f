import type { AppErrorCode } from "@/core/errors";

// What every server action returns to its form.
export type ActionState =
  | { ok: true; message?: string; data?: Record<string, unknown> }
  // `values` echoes what was typed (never secrets) so a rejected form keeps its contents.
  | {
      ok: false;
      code: AppErrorCode | "error";
      message: string;
      fieldErrors?: Record<string, string[]>;
      values?: Record<string, string>;
    }
  | undefined;
