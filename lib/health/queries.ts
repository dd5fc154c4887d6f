import { prisma } from "@/core/db";

// Whether the database answers; nothing about callers.
export async function checkDatabase(): Promise<"ok" | "unreachable"> {
  try {
    await prisma.$queryRawUnsafe("SELECT 1");
    return "ok";
  } catch {
    return "unreachable";
  }
}
