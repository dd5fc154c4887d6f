import { redirect } from "next/navigation";
import { getCurrentUser } from "@/lib/auth/session";

export default async function Home() {
  const user = await getCurrentUser();
  if (!user) redirect("/login");
  if (user.role === "CUSTOMER") redirect("/portal");
  // Staff are prompted to enrol a second factor at sign-in until they have one.
  redirect(user.totpEnabled ? "/console" : "/console/security?prompt=1");
}
