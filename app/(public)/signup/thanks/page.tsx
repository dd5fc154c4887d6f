import type { Metadata } from "next";
import { AuthCard } from "@/app/_components/auth-card";

export const metadata: Metadata = { title: "Thank you" };

export default function SignupThanksPage() {
  return (
    <AuthCard title="Thank you!">
      <p className="text-sm text-slate-700">
        As soon as Stripe confirms your payment we email you two links: one to choose the password
        of your portal, and one to create your first chat address.
      </p>
    </AuthCard>
  );
}
