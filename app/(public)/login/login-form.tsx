"use client";
import { useState } from "react";
import Link from "@/app/_components/link";
import { signIn } from "next-auth/react";
import { useRouter, useSearchParams } from "next/navigation";
import { safeReturnPath } from "@/lib/auth/return-path";

const SECOND_FACTOR_REQUIRED = "SECOND_FACTOR_REQUIRED";

export function LoginForm() {
  const router = useRouter();
  const params = useSearchParams();
  const [needCode, setNeedCode] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    const res = await signIn("credentials", {
      redirect: false,
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
      code: String(form.get("code") ?? ""),
    });
    setPending(false);
    if (res?.ok && !res.error) {
      router.replace(safeReturnPath(params.get("callbackUrl")));
      router.refresh();
    } else if (res?.error === SECOND_FACTOR_REQUIRED) {
      setNeedCode(true);
    } else {
      setError(
        res?.error && res.error !== "CredentialsSignin"
          ? res.error
          : "Sign-in failed. Check your email and password.",
      );
    }
  }

  return (
    <form
      onSubmit={onSubmit}
      method="post"
      className="space-y-4 rounded-xl border border-slate-200 bg-white p-6 shadow-sm"
      aria-describedby={error ? "login-error" : undefined}
    >
      <h1 className="text-lg font-semibold">Sign in</h1>
      <div className={needCode ? "hidden" : "space-y-4"}>
        <div>
          <label htmlFor="email" className="block text-sm font-medium">
            Email
          </label>
          <input
            id="email"
            name="email"
            type="email"
            autoComplete="username"
            required
            className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm"
          />
        </div>
        <div>
          <label htmlFor="password" className="block text-sm font-medium">
            Password
          </label>
          <input
            id="password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm"
          />
        </div>
      </div>
      {needCode ? (
        <div>
          <label htmlFor="code" className="block text-sm font-medium">
            Authentication code
          </label>
          <input
            id="code"
            name="code"
            inputMode="numeric"
            autoComplete="one-time-code"
            autoFocus
            required
            className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 font-mono text-sm tracking-widest"
          />
          <p className="mt-1 text-xs text-slate-500">
            The 6-digit code from your authenticator app, or one of your recovery codes.
          </p>
        </div>
      ) : null}
      {error ? (
        <p
          id="login-error"
          role="alert"
          data-testid="login-error"
          className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800"
        >
          {error}
        </p>
      ) : null}
      <button
        type="submit"
        disabled={pending}
        className="w-full rounded-md bg-indigo-600 px-3 py-2 text-sm font-semibold text-white hover:bg-indigo-500 disabled:opacity-60"
      >
        {pending ? "Signing in…" : needCode ? "Verify" : "Sign in"}
      </button>
      <p className="text-center text-sm">
        <Link className="text-indigo-700 underline" href="/forgot">
          Forgot your password?
        </Link>
      </p>
    </form>
  );
}
