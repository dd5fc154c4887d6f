import type { Metadata } from "next";
import { AuthCard } from "@/app/_components/auth-card";
import { ActionForm, Field } from "@/app/_components/form";
import { smtpConfigured } from "@/lib/notifications/send-email";
import { requestAccountResetAction } from "./actions";

// Whether email can be sent is read when the page is served, not at build time.
export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Reset a chat account" };

export default function RequestAccountResetPage() {
  return (
    <AuthCard title="Forgot your chat password?">
      {smtpConfigured() ? (
        <>
          <p className="mb-4 text-sm text-slate-600">
            Enter your chat address. If whoever manages it recorded a recovery email, we send a
            reset link there.
          </p>
          <ActionForm action={requestAccountResetAction} submit="Send reset link">
            <Field
              label="Chat address"
              name="address"
              required
              autoComplete="username"
              hint="Like name@example.org"
            />
          </ActionForm>
        </>
      ) : (
        <p className="text-sm text-slate-700" data-testid="reset-no-email">
          Reset links cannot be emailed here. Ask whoever manages your account (your family or
          company admin) or your provider&apos;s support for a reset link.
        </p>
      )}
      <p className="mt-4 text-xs text-slate-500">
        Nobody at your provider can read your messages, and nobody will ask for your password.
      </p>
    </AuthCard>
  );
}
