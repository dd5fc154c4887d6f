import { deployMigrations } from "../../scripts/lib/schema-engine.mjs";

// Points this process's Prisma at another database, migrated: the next import of core/db
// opens a fresh client on it.
export async function switchToMigrated(url: string): Promise<void> {
  process.env.DATABASE_URL = url;
  const holder = globalThis as { parleyPrisma?: { $disconnect(): Promise<void> } };
  await holder.parleyPrisma?.$disconnect();
  delete holder.parleyPrisma;
  await deployMigrations({ url, log: () => undefined });
}
