import type { Metadata } from "next";
import { connection } from "next/server";
import { listSignupPlans } from "@/lib/plans/queries";
import { signupEnabled } from "@/lib/billing/signup";
import { AuthCard } from "@/app/_components/auth-card";
import { ActionForm, Field } from "@/app/_components/form";
import { Banner } from "@/app/_components/ui";
import { startSignupAction } from "./actions";

export const metadata: Metadata = { title: "Sign up", referrer: "no-referrer" };

export default async function SignupPage({
  searchParams,
}: {
  searchParams: Promise<{ canceled?: string }>;
}) {
  await connection();
  if (!signupEnabled()) {
    return (
      <AuthCard title="Sign up">
        <p className="text-sm text-slate-600" data-testid="signup-closed">
          Sign-up is not open. Contact the provider to get started.
        </p>
      </AuthCard>
    );
  }
  const plans = await listSignupPlans();
  return (
    <AuthCard title="Get private chat for you, your family or your company">
      {(await searchParams).canceled ? (
        <Banner>Payment canceled: nothing was charged. You can start again.</Banner>
      ) : null}
      <ActionForm action={startSignupAction} submit="Continue to payment">
        <Field
          label="Plan"
          name="planId"
          options={plans.map((p) => ({
            value: p.id,
            label: `${p.name}: ${p.seats} people, ${p.rooms} group chats, messages kept ${p.retentionDays === 0 ? "only on devices" : `${p.retentionDays} days`}${p.priceCents != null ? `, ${(p.priceCents / 100).toFixed(2)} ${p.currency}/month` : ""}`,
          }))}
        />
        <Field
          label="Name"
          name="name"
          required
          hint="Your name, your family's or your company's."
        />
        <Field
          label="For"
          name="kind"
          defaultValue="PERSON"
          options={[
            { value: "PERSON", label: "Me" },
            { value: "FAMILY", label: "My family" },
            { value: "COMPANY", label: "My company" },
          ]}
        />
        <Field
          label="Email"
          name="email"
          type="email"
          required
          autoComplete="email"
          hint="Where we send your sign-in and your first invite."
        />
      </ActionForm>
      <p className="mt-4 text-xs text-slate-500">
        Payment is handled by Stripe.{" "}
        <a className="underline" href="/privacy">
          Privacy
        </a>
      </p>
    </AuthCard>
  );
}
