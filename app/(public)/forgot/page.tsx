import type { Metadata } from "next";
import Link from "@/app/_components/link";
import { AuthCard } from "@/app/_components/auth-card";
import { ActionForm, Field } from "@/app/_components/form";
import { smtpConfigured } from "@/lib/notifications/send-email";
import { requestConsoleResetAction } from "./actions";

// Whether email can be sent is read when the page is served, not at build time.
export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Forgot your password?" };

export default function ForgotPage() {
  return (
    <AuthCard title="Forgot your password?">
      {smtpConfigured() ? (
        <>
          <p className="mb-4 text-sm text-slate-600">
            For staff and customer sign-ins to this console. Enter your email and we send a link to
            choose a new password.
          </p>
          <ActionForm action={requestConsoleResetAction} submit="Send link">
            <Field label="Email" name="email" type="email" required autoComplete="username" />
          </ActionForm>
        </>
      ) : (
        <p className="text-sm text-slate-700" data-testid="forgot-no-email">
          This Parley does not send email, so passwords cannot be reset by email. Ask an admin
          (staff) or your provider&apos;s support (customers) for a new sign-in link.
        </p>
      )}
      <p className="mt-4 text-sm text-slate-600">
        Lost the password of a chat address (name@domain)?{" "}
        <Link className="text-indigo-700 underline" href="/reset">
          Reset a chat account
        </Link>
        .
      </p>
      <p className="mt-2 text-sm">
        <Link className="text-indigo-700 underline" href="/login">
          Back to sign in
        </Link>
      </p>
    </AuthCard>
  );
}
