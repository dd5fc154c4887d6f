import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getCurrentUser } from "@/lib/auth/session";
import { SignOutButton } from "@/app/_components/sign-out-button";

export const metadata: Metadata = { title: "Service ended" };

// Where the portal sends the people of a closed or terminated service: all they may still see.
export default async function ServiceEndedPage() {
  const user = await getCurrentUser();
  if (!user) redirect("/login");
  if (!user.customerEnded) redirect("/");
  return (
    <main className="mx-auto max-w-xl px-6 py-16">
      <h1 className="text-2xl font-semibold">Your service has ended</h1>
      <p className="mt-3 text-slate-700">
        This service was closed or terminated, and its chat accounts and rooms have been removed.
        Nothing can be viewed or changed here any more. If you think this is a mistake, contact your
        provider.
      </p>
      <div className="mt-6">
        <SignOutButton />
      </div>
    </main>
  );
}
