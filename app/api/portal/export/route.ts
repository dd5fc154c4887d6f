import { OWN } from "@/lib/auth/policy";
import { guardRoute } from "@/lib/auth/route-guard";
import { exportCustomer } from "@/lib/customers/export-customer";

// A portal user downloads everything Parley keeps about their own customer as JSON.
export async function GET(): Promise<Response> {
  const user = await guardRoute("customers.export", OWN);
  if (user instanceof Response) return user;
  const data = await exportCustomer(user.customerId!);
  return new Response(JSON.stringify(data, null, 2), {
    headers: {
      "content-type": "application/json; charset=utf-8",
      "content-disposition": `attachment; filename="parley-export-${new Date().toISOString().slice(0, 10)}.json"`,
      "cache-control": "no-store",
    },
  });
}
