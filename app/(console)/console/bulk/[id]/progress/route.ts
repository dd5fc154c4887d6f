import { guardRoute } from "@/lib/auth/route-guard";
import { getBulkProgress } from "@/lib/bulk/queries";

// The progress bar's poll: the operation's counts and its jobs on the servers.
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const user = await guardRoute("console.view");
  if (user instanceof Response) return user;
  const { id } = await params;
  const progress = id.length <= 64 ? await getBulkProgress(id, user) : null;
  if (!progress) return Response.json({ message: "No such bulk operation." }, { status: 404 });
  return Response.json(progress, { headers: { "Cache-Control": "no-store" } });
}
