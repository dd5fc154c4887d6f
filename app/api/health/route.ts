import { connection } from "next/server";
import { prisma } from "@/lib/db";
import pkg from "@/package.json" with { type: "json" };

// Public by design: reports only reachability and the version, nothing about callers.
export async function GET(): Promise<Response> {
  await connection();
  let database: "ok" | "unreachable" = "ok";
  try {
    await prisma.$queryRawUnsafe("SELECT 1");
  } catch {
    database = "unreachable";
  }
  return Response.json(
    { status: database === "ok" ? "ok" : "degraded", version: pkg.version, database },
    { status: database === "ok" ? 200 : 503, headers: { "Cache-Control": "no-store" } },
  );
}
