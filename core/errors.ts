// Errors the action and route wrappers turn into replies a person can act on.
export type AppErrorCode =
  "unauthenticated" | "forbidden" | "not_found" | "invalid" | "conflict" | "rate_limited";

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly fieldErrors?: Record<string, string[]>,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const HTTP_STATUS: Record<AppErrorCode, number> = {
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  invalid: 400,
  conflict: 409,
  rate_limited: 429,
};
