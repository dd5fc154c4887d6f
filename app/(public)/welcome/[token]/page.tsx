import type { Metadata } from "next";
import Link from "@/app/_components/link";
import { AuthCard, LinkProblem } from "@/app/_components/auth-card";
import { ActionForm, Field, NewPasswordFields } from "@/app/_components/form";
import { lookUpOneTimeLink } from "@/lib/users/one-time-links";
import { acceptWelcomeAction } from "./actions";

export const metadata: Metadata = { title: "Welcome" };

export default async function WelcomePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const link = await lookUpOneTimeLink("welcome", token);
  if (link.state !== "valid") {
    return (
      <AuthCard title="Choose your password">
        <LinkProblem state={link.state} />
        <p className="mt-4 text-sm text-slate-600">Ask whoever invited you to send a new link.</p>
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Choose your password">
      <p className="mb-4 text-sm text-slate-600">
        You will sign in to Parley as <strong>{link.email}</strong>.
      </p>
      <ActionForm action={acceptWelcomeAction} submit="Save password" hidden={{ token }}>
        <Field label="Your name" name="name" required autoComplete="name" />
        <NewPasswordFields />
      </ActionForm>
      <p className="mt-4 text-sm">
        <Link className="text-indigo-700 underline" href="/login">
          Go to sign in
        </Link>
      </p>
    </AuthCard>
  );
}
