import { getCurrentUser } from "@/lib/auth/session";
import { exportCustomer } from "@/lib/customers/export-customer";

// A portal user downloads everything Parley keeps about their own customer as JSON.
export async function GET(): Promise<Response> {
  const user = await getCurrentUser();
  if (!user) return Response.json({ message: "Sign in first." }, { status: 401 });
  if (user.role !== "CUSTOMER" || !user.customerId) return Response.json({ message: "Only a customer's portal users export its data." }, { status: 403 });
  const data = await exportCustomer(user.customerId);
  return new Response(JSON.stringify(data, null, 2), {
    headers: { "content-type": "application/json; charset=utf-8", "content-disposition": `attachment; filename="parley-export-${new Date().toISOString().slice(0, 10)}.json"`, "cache-control": "no-store" },
  });
}
