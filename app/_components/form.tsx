"use client";
import { createContext, useActionState, useContext } from "react";
import { useRouter } from "next/navigation";
import { QrCode } from "./qr-code";
import { useFormStatus } from "react-dom";
import type { ActionState } from "@/lib/actions/action-state";
import { submitButtonClass, type ButtonVariant } from "./button-class";

export type Action = (state: ActionState, formData: FormData) => Promise<ActionState>;

const FormStateContext = createContext<ActionState>(undefined);
// Forms that share field names on one page give their fields distinct ids.
const IdPrefixContext = createContext("");

export function SubmitButton({
  children,
  variant = "primary",
  pendingText,
}: {
  children: React.ReactNode;
  variant?: ButtonVariant;
  pendingText?: string;
}) {
  const { pending } = useFormStatus();
  return (
    <button
      type="submit"
      disabled={pending}
      aria-busy={pending}
      className={submitButtonClass(variant)}
    >
      {pending ? (
        <span
          aria-hidden="true"
          className="h-3 w-3 animate-spin rounded-full border-2 border-current border-t-transparent"
        />
      ) : null}
      {pending ? (pendingText ?? "Working…") : children}
    </button>
  );
}

export function FormMessage({ state }: { state: ActionState }) {
  if (!state) return null;
  if (state.ok)
    return state.message ? (
      <p
        role="status"
        data-testid="form-success"
        className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800"
      >
        {state.message}
      </p>
    ) : null;
  return (
    <p
      role="alert"
      data-testid="form-error"
      className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800"
    >
      {state.message}
    </p>
  );
}

export function Field({
  label,
  name,
  type = "text",
  defaultValue,
  required,
  hint,
  autoComplete,
  options,
  min,
  max,
  step,
  placeholder,
}: {
  label: string;
  name: string;
  type?: string;
  defaultValue?: string | number;
  required?: boolean;
  hint?: string;
  autoComplete?: string;
  options?: { value: string; label: string }[];
  min?: number;
  max?: number;
  step?: string;
  placeholder?: string;
}) {
  const state = useContext(FormStateContext);
  const prefix = useContext(IdPrefixContext);
  const errors = state && !state.ok ? state.fieldErrors?.[name] : undefined;
  // React resets a form after its action; a rejected form is refilled with what was typed.
  const echoed = state && !state.ok ? state.values?.[name] : undefined;
  const inputKey = echoed === undefined ? "initial" : `echo-${echoed}`;
  const id = `${prefix}field-${name}`;
  const describedBy =
    [hint ? `${id}-hint` : null, errors ? `${id}-error` : null].filter(Boolean).join(" ") ||
    undefined;
  const common = {
    id,
    name,
    required,
    defaultValue: echoed ?? defaultValue,
    "aria-invalid": errors ? true : undefined,
    "aria-describedby": describedBy,
    className:
      "mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500",
  };
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
        {required ? (
          <span aria-hidden="true" className="text-rose-600">
            {" "}
            *
          </span>
        ) : null}
      </label>
      {options ? (
        <select key={inputKey} {...common}>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      ) : type === "textarea" ? (
        <textarea key={inputKey} {...common} rows={3} />
      ) : (
        <input
          key={inputKey}
          {...common}
          type={type}
          autoComplete={autoComplete}
          min={min}
          max={max}
          step={step}
          placeholder={placeholder}
        />
      )}
      {hint ? (
        <p id={`${id}-hint`} className="mt-1 text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
      {errors ? (
        <p id={`${id}-error`} className="mt-1 text-xs text-rose-700">
          {errors.join(". ")}
        </p>
      ) : null}
    </div>
  );
}

// A form bound to a server action, with the pending state and the action's reply.
export function ActionForm({
  action,
  children,
  submit,
  variant,
  className = "space-y-4",
  confirm,
  hidden,
  idPrefix = "",
}: {
  action: Action;
  children?: React.ReactNode;
  submit: string;
  variant?: ButtonVariant;
  className?: string;
  confirm?: string;
  hidden?: Record<string, string>;
  idPrefix?: string;
}) {
  const [state, formAction] = useActionState(action, undefined);
  return (
    <form action={formAction} className={className} onSubmit={confirmFirst(confirm)}>
      {hidden
        ? Object.entries(hidden).map(([k, v]) => <input key={k} type="hidden" name={k} value={v} />)
        : null}
      <FormStateContext.Provider value={state}>
        <IdPrefixContext.Provider value={idPrefix}>{children}</IdPrefixContext.Provider>
      </FormStateContext.Provider>
      <ActionResult state={state} />
      <div>
        <SubmitButton variant={variant}>{submit}</SubmitButton>
      </div>
    </form>
  );
}

// Asks before submitting, when the form has something to ask.
export function confirmFirst(question?: string) {
  if (!question) return undefined;
  return (e: React.FormEvent<HTMLFormElement>) => {
    if (!window.confirm(question)) e.preventDefault();
  };
}

// What an action answered: its message, and a one-time link (with its QR code) or recovery
// codes when it made one.
export function ActionResult({ state }: { state: ActionState }) {
  return (
    <>
      <FormMessage state={state} />
      {state?.ok && state.data?.link ? <CopyableLink link={String(state.data.link)} /> : null}
      {state?.ok && state.data?.qr ? (
        <QrCode value={String(state.data.qr)} label="QR code of the invite link" />
      ) : null}
      {state?.ok && Array.isArray(state.data?.codes) ? (
        <RecoveryCodes codes={state.data.codes as string[]} />
      ) : null}
    </>
  );
}

export function CopyableLink({ link }: { link: string }) {
  return (
    <div className="rounded-md border border-slate-200 bg-slate-50 p-3 text-sm">
      <p className="mb-1 font-medium">One-time link (shown once):</p>
      <div className="flex gap-2">
        <input
          readOnly
          value={link}
          aria-label="One-time link"
          data-testid="one-time-link"
          className="w-full rounded border border-slate-300 bg-white px-2 py-1 font-mono text-xs"
          onFocus={(e) => e.currentTarget.select()}
        />
        <button
          type="button"
          className="rounded-md bg-white px-2 py-1 text-xs font-semibold ring-1 ring-slate-300 hover:bg-slate-100"
          onClick={() => void navigator.clipboard?.writeText(link)}
        >
          Copy
        </button>
      </div>
    </div>
  );
}

export function RecoveryCodes({ codes }: { codes: string[] }) {
  const router = useRouter();
  return (
    <div
      className="rounded-md border border-amber-300 bg-amber-50 p-4 text-sm"
      data-testid="recovery-codes"
    >
      <p className="mb-2 font-medium">
        Save these recovery codes now. Each works once if you lose your authenticator; they are not
        shown again.
      </p>
      <ul className="grid grid-cols-2 gap-1 font-mono">
        {codes.map((c) => (
          <li key={c}>{c}</li>
        ))}
      </ul>
      <a
        className="mt-3 inline-block text-indigo-700 underline"
        download="parley-recovery-codes.txt"
        href={`data:text/plain;charset=utf-8,${encodeURIComponent(codes.join("\n") + "\n")}`}
      >
        Download as a text file
      </a>
      <button
        type="button"
        onClick={() => router.refresh()}
        className="ml-4 rounded-md bg-white px-2 py-1 text-xs font-semibold ring-1 ring-slate-300 hover:bg-slate-100"
      >
        I saved them
      </button>
    </div>
  );
}

// A new password and its repetition, with the rule people are held to.
export function NewPasswordFields({ label = "Password" }: { label?: string }) {
  return (
    <>
      <Field
        label={label}
        name="password"
        type="password"
        required
        autoComplete="new-password"
        hint="At least 12 characters."
      />
      <Field
        label={`Repeat ${label.toLowerCase()}`}
        name="confirm"
        type="password"
        required
        autoComplete="new-password"
      />
    </>
  );
}
