import type { Metadata } from "next";
import { lookUpResetLink } from "@/lib/chat-password-reset/reset-links";
import { AuthCard } from "@/app/_components/auth-card";
import { ActionForm, Field } from "@/app/_components/form";
import { resetPasswordAction } from "./actions";

export const metadata: Metadata = {
  title: "Choose a new password",
  referrer: "no-referrer",
  robots: { index: false },
};

const PROBLEMS = {
  malformed: "This link is incomplete. Check that you copied all of it.",
  unknown: "This link is not valid.",
  expired: "This link has expired. Ask whoever sent it for a new one.",
  used: "This link was already used. Ask for a new one if you need it.",
  revoked: "This link was withdrawn. Ask for a new one.",
} as const;

export default async function ResetPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const lookup = await lookUpResetLink(token);
  if (lookup.state !== "valid") {
    return (
      <AuthCard title="Choose a new password">
        <p
          role="alert"
          data-testid="reset-problem"
          data-state={lookup.state}
          className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800"
        >
          {PROBLEMS[lookup.state]}
        </p>
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Choose a new password">
      <p className="mb-4 text-sm text-slate-600">
        For{" "}
        <strong className="font-mono" data-testid="reset-address">
          {lookup.address}
        </strong>
        . The old password stops working; signed-in devices will ask for the new one.
      </p>
      <ActionForm action={resetPasswordAction} submit="Set new password" hidden={{ token }}>
        <Field
          label="New password"
          name="password"
          type="password"
          required
          autoComplete="new-password"
          hint="At least 10 characters; a few unusual words make a strong password."
        />
        <Field
          label="Repeat new password"
          name="confirm"
          type="password"
          required
          autoComplete="new-password"
        />
      </ActionForm>
    </AuthCard>
  );
}
