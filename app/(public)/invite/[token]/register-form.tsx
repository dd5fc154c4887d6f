"use client";
import { useActionState, useEffect, useState } from "react";
import { SubmitButton, FormMessage } from "@/app/_components/form";
import { redeemInviteAction } from "./actions";

type Availability = { state: "idle" | "checking" | "ok" | "bad"; message: string };

// A rough strength score: length and variety; enough to steer people away from weak passwords.
function strength(password: string): { score: number; label: string } {
  if (!password) return { score: 0, label: "" };
  let score = password.length >= 10 ? 1 : 0;
  if (password.length >= 14) score++;
  if (password.length >= 20) score++;
  if (/[a-z]/.test(password) && /[A-Z]/.test(password)) score++;
  if (/\d/.test(password) && /[^A-Za-z0-9]/.test(password)) score++;
  if (/^(.)\1+$/.test(password) || /^(password|123456|qwerty)/i.test(password)) score = 0;
  const label = ["Too weak", "Weak", "Fair", "Good", "Strong", "Very strong"][Math.min(score, 5)];
  return { score: Math.min(score, 4), label };
}

export function RegisterForm({
  token,
  domain,
  fixedLocalpart,
  disabled,
  terms,
  privacy,
}: {
  token: string;
  domain: string;
  fixedLocalpart: string | null;
  disabled: boolean;
  terms?: string;
  privacy?: string;
}) {
  const [state, action] = useActionState(redeemInviteAction, undefined);
  const [name, setName] = useState(fixedLocalpart ?? "");
  const [password, setPassword] = useState("");
  const [checked, setChecked] = useState<{ name: string; availability: Availability } | null>(null);
  const meter = strength(password);
  // The answer shown belongs to the name typed now; until it arrives, the name is being checked.
  const wanted = fixedLocalpart || !name.trim() ? null : name;
  const availability: Availability = !wanted
    ? { state: "idle", message: "" }
    : checked?.name === wanted
      ? checked.availability
      : { state: "checking", message: "Checking…" };

  useEffect(() => {
    if (!wanted) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      fetch(`/api/invites/${token}/username?name=${encodeURIComponent(wanted)}`, {
        signal: controller.signal,
        cache: "no-store",
      })
        .then((r) => r.json() as Promise<{ available: boolean; message: string }>)
        .then((r) =>
          setChecked({
            name: wanted,
            availability: { state: r.available ? "ok" : "bad", message: r.message },
          }),
        )
        .catch(() => undefined);
    }, 300);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [wanted, token]);

  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  const input =
    "mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-base sm:text-sm";
  return (
    <form action={action} className="space-y-4">
      <input type="hidden" name="token" value={token} />
      <div>
        <label htmlFor="localpart" className="block text-sm font-medium">
          Username
        </label>
        <div className="mt-1 flex items-stretch">
          <input
            id="localpart"
            name="localpart"
            value={name}
            onChange={(e) => setName(e.target.value)}
            readOnly={Boolean(fixedLocalpart)}
            required
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            aria-describedby="localpart-status"
            className="block w-full rounded-l-md border border-slate-300 px-3 py-2 text-base read-only:bg-slate-100 sm:text-sm"
          />
          <span className="inline-flex items-center rounded-r-md border border-l-0 border-slate-300 bg-slate-50 px-3 text-sm text-slate-600">
            @{domain}
          </span>
        </div>
        <p
          id="localpart-status"
          aria-live="polite"
          data-testid="username-status"
          className={`mt-1 text-xs ${availability.state === "bad" || errors.localpart ? "text-rose-700" : availability.state === "ok" ? "text-emerald-700" : "text-slate-500"}`}
        >
          {errors.localpart?.join(". ") ??
            (fixedLocalpart ? "This invite is for this username." : availability.message)}
        </p>
      </div>
      <div>
        <label htmlFor="password" className="block text-sm font-medium">
          Password
        </label>
        <input
          id="password"
          name="password"
          type="password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
          minLength={10}
          autoComplete="new-password"
          aria-describedby="password-strength"
          className={input}
        />
        <div className="mt-1 flex gap-1" aria-hidden="true">
          {[0, 1, 2, 3].map((i) => (
            <span
              key={i}
              className={`h-1.5 flex-1 rounded-full ${i < meter.score ? ["bg-rose-500", "bg-amber-500", "bg-lime-500", "bg-emerald-500"][meter.score - 1] : "bg-slate-200"}`}
            />
          ))}
        </div>
        <p
          id="password-strength"
          aria-live="polite"
          className={`mt-1 text-xs ${errors.password ? "text-rose-700" : "text-slate-500"}`}
        >
          {errors.password?.join(". ") ??
            (password
              ? `${meter.label}. At least 10 characters; a few unusual words make a strong password.`
              : "At least 10 characters.")}
        </p>
      </div>
      <div>
        <label htmlFor="confirm" className="block text-sm font-medium">
          Repeat password
        </label>
        <input
          id="confirm"
          name="confirm"
          type="password"
          required
          autoComplete="new-password"
          className={input}
        />
        {errors.confirm ? (
          <p className="mt-1 text-xs text-rose-700">{errors.confirm.join(". ")}</p>
        ) : null}
      </div>
      {terms || privacy ? (
        <label className="flex items-start gap-2 text-sm">
          <input type="checkbox" required className="mt-1" />
          <span>
            I accept the{" "}
            {terms ? (
              <a className="underline" href={terms} target="_blank" rel="noreferrer noopener">
                terms of service
              </a>
            ) : null}
            {terms && privacy ? " and the " : null}
            {privacy ? (
              <a className="underline" href={privacy} target="_blank" rel="noreferrer noopener">
                privacy policy
              </a>
            ) : null}
            .
          </span>
        </label>
      ) : null}
      <FormMessage state={state} />
      {disabled ? (
        <p className="text-sm text-slate-600">Registration is closed for this invite right now.</p>
      ) : (
        <SubmitButton pendingText="Creating your account…">Create my account</SubmitButton>
      )}
    </form>
  );
}
