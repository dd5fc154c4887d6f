import type { Metadata } from "next";
import Link from "@/app/_components/link";
import { AuthCard, LinkProblem } from "@/app/_components/auth-card";
import { ActionForm, NewPasswordFields } from "@/app/_components/form";
import { lookUpOneTimeLink } from "@/lib/users/one-time-links";
import { completeConsoleResetAction } from "./actions";

export const metadata: Metadata = {
  title: "Choose a new password",
  referrer: "no-referrer",
  robots: { index: false },
};

export default async function ConsoleResetPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const link = await lookUpOneTimeLink("console-reset", token);
  if (link.state !== "valid") {
    return (
      <AuthCard title="Choose a new password">
        <LinkProblem state={link.state} />
        <p className="mt-4 text-sm">
          <Link className="text-indigo-700 underline" href="/forgot">
            Ask for a new link
          </Link>
        </p>
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Choose a new password">
      <p className="mb-4 text-sm text-slate-600">
        For your Parley sign-in. Two-factor sign-in, if you set it up, stays as it is.
      </p>
      <ActionForm action={completeConsoleResetAction} submit="Set new password" hidden={{ token }}>
        <NewPasswordFields label="New password" />
      </ActionForm>
      <p className="mt-4 text-sm">
        <Link className="text-indigo-700 underline" href="/login">
          Go to sign in
        </Link>
      </p>
    </AuthCard>
  );
}
