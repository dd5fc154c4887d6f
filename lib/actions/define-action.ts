import "server-only";
import { unstable_rethrow } from "next/navigation";
import { z } from "zod";
import { AppError } from "@/core/errors";
import { logError } from "@/core/log";
import { requireUser, type SessionUser } from "@/lib/auth/session";
import { checkRequirement, type Requirement } from "@/lib/auth/require";
import type { ActionState } from "@/lib/actions/action-state";

type Options<S extends z.ZodType> = {
  schema: S;
  // The permission (lib/auth/policy.ts) and the object it is needed on, from requires();
  // checked before anything else is read or written.
  authorize: Requirement<z.infer<S>>;
  run: (input: z.infer<S>, user: SessionUser) => Promise<ActionState>;
  // Only the two-factor enrolment actions: callable by staff who must enrol before anything else.
  enrolling?: true;
};

const SECRET_FIELD = /password|confirm|current|code|token|secret|key/i;

// What the user typed, minus secrets, to refill a rejected form.
function echoValues(formData: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [k, v] of formData.entries())
    if (typeof v === "string" && !SECRET_FIELD.test(k) && !k.startsWith("$ACTION")) values[k] = v;
  return values;
}

function withValues(state: ActionState, formData: FormData): ActionState {
  return state && !state.ok ? { ...state, values: echoValues(formData) } : state;
}

function formDataToObject(formData: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of new Set(formData.keys())) {
    // Files only reach a schema that asks for one (z.instanceof(File)); any other rejects them.
    const values = formData.getAll(key).filter((v) => typeof v === "string" || v instanceof File);
    out[key] = values.length > 1 ? values : values[0];
  }
  return out;
}

export function toActionError(error: unknown): ActionState {
  unstable_rethrow(error); // let redirect() and notFound() through
  if (error instanceof AppError)
    return { ok: false, code: error.code, message: error.message, fieldErrors: error.fieldErrors };
  logError("action", `unexpected error: ${error instanceof Error ? error.message : "unknown"}`);
  return {
    ok: false,
    code: "error",
    message:
      "Something went wrong and nothing was changed. Try again; if it keeps failing, check the server log.",
  };
}

// Every Parley action takes a form; a request built by hand may send anything else instead.
const NOT_A_FORM: ActionState = {
  ok: false,
  code: "invalid",
  message: "This is not a form submission. Reload the page and send the form again.",
};

// Authenticate → validate → authorize (role and ownership) → run. Every exported
// server action is built with this, so none can skip the checks.
export function defineAction<S extends z.ZodType>(options: Options<S>) {
  return async function action(_previous: ActionState, formData: FormData): Promise<ActionState> {
    if (!(formData instanceof FormData)) return NOT_A_FORM;
    try {
      const user = await requireUser({ enrolling: options.enrolling });
      const parsed = options.schema.safeParse(formDataToObject(formData));
      if (!parsed.success) {
        const fieldErrors = z.flattenError(parsed.error).fieldErrors as Record<string, string[]>;
        return withValues(
          { ok: false, code: "invalid", message: "Some fields need attention.", fieldErrors },
          formData,
        );
      }
      await checkRequirement(user, options.authorize, parsed.data);
      return withValues(await options.run(parsed.data, user), formData);
    } catch (error) {
      return withValues(toActionError(error), formData);
    }
  };
}

// For the few actions a visitor without a session may call (setup and welcome links):
// the one-time token in the input is the authorization, checked by `run`.
export function defineTokenAction<S extends z.ZodType>(options: {
  schema: S;
  run: (input: z.infer<S>) => Promise<ActionState>;
}) {
  return async function action(_previous: ActionState, formData: FormData): Promise<ActionState> {
    if (!(formData instanceof FormData)) return NOT_A_FORM;
    try {
      const parsed = options.schema.safeParse(formDataToObject(formData));
      if (!parsed.success) {
        const fieldErrors = z.flattenError(parsed.error).fieldErrors as Record<string, string[]>;
        return withValues(
          { ok: false, code: "invalid", message: "Some fields need attention.", fieldErrors },
          formData,
        );
      }
      return withValues(await options.run(parsed.data), formData);
    } catch (error) {
      return withValues(toActionError(error), formData);
    }
  };
}
