import { Suspense } from "react";
import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { LoginForm } from "./login-form";
import { getCurrentUser } from "@/lib/auth/session";
import { adminExists } from "@/lib/users/first-admin-link";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage() {
  if (await getCurrentUser()) redirect("/");
  const ready = await adminExists();
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm">
        <div className="mb-6 flex items-center gap-2">
          <img src="/icon.svg" alt="" width={32} height={32} />
          <span className="text-xl font-semibold">Parley</span>
        </div>
        {ready ? (
          <Suspense>
            <LoginForm />
          </Suspense>
        ) : (
          <div
            className="rounded-xl border border-amber-300 bg-amber-50 p-5 text-sm text-amber-900"
            data-testid="setup-needed"
          >
            <h1 className="mb-2 text-base font-semibold">Finish setting up Parley</h1>
            <p>
              No admin exists yet. Open the one-time setup link printed in the terminal where Parley
              started. Restart Parley to print a new link if it has expired.
            </p>
          </div>
        )}
      </div>
    </main>
  );
}
