import type { Metadata } from "next";
import Link from "@/app/_components/link";
import { AuthCard, LinkProblem } from "@/app/_components/auth-card";
import { ActionForm, Field, NewPasswordFields } from "@/app/_components/form";
import { lookUpOneTimeLink } from "@/lib/users/one-time-links";
import { adminExists } from "@/lib/users/first-admin-link";
import { createFirstAdminAction } from "./actions";

export const metadata: Metadata = { title: "Set up Parley" };

export default async function SetupPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const link = await lookUpOneTimeLink("first-admin", token);
  if (link.state !== "valid" || (await adminExists())) {
    return (
      <AuthCard title="Set up Parley">
        <LinkProblem state={link.state === "valid" ? "used" : link.state} />
        <p className="mt-4 text-sm text-slate-600">
          Restart Parley to print a new setup link while no admin exists, or{" "}
          <Link className="text-indigo-700 underline" href="/login">
            sign in
          </Link>
          .
        </p>
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Create the first admin">
      <p className="mb-4 text-sm text-slate-600">
        This account manages Parley. Choose a strong password; you will be asked to set up
        two-factor sign-in next.
      </p>
      <ActionForm action={createFirstAdminAction} submit="Create admin" hidden={{ token }}>
        <Field label="Your name" name="name" required autoComplete="name" />
        <Field label="Email" name="email" type="email" required autoComplete="username" />
        <NewPasswordFields />
        <label className="flex items-start gap-2 text-sm">
          <input type="checkbox" name="requireStaffTwoFactor" defaultChecked className="mt-1" />
          <span>
            Require two-factor sign-in for all staff (recommended). Staff without it can only set it
            up. Admins can change this later under Staff.
          </span>
        </label>
      </ActionForm>
      <p className="mt-4 text-sm">
        <Link className="text-indigo-700 underline" href="/login">
          Go to sign in
        </Link>
      </p>
    </AuthCard>
  );
}
