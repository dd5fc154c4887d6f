import { checkDatabase } from "@/lib/health/queries";
import pkg from "@/package.json" with { type: "json" };

// Public by design: reports only reachability and the version, nothing about callers.
// (Route GET handlers are dynamic unless cacheComponents is on, so no connection() is needed.)
export async function GET(): Promise<Response> {
  const database = await checkDatabase();
  return Response.json(
    { status: database === "ok" ? "ok" : "degraded", version: pkg.version, database },
    { status: database === "ok" ? 200 : 503, headers: { "Cache-Control": "no-store" } },
  );
}
