import { prisma, type DB } from "@/core/db";

type Tx = Parameters<Parameters<typeof prisma.$transaction>[0]>[0];

// Runs `work` in one transaction holding a lock on `key`: the lock is a row inserted first and
// deleted before commit, so a second transaction inserting the same key waits on the primary
// key until the first commits (PostgreSQL), or waits for the one writer (SQLite), and then sees
// what the first created. No row outlives its transaction, even when it fails.
export async function withImportLock<R>(
  key: string,
  work: (tx: Tx & DB) => Promise<R>,
): Promise<R> {
  return prisma.$transaction(
    async (tx) => {
      await tx.importLock.create({ data: { key } });
      const result = await work(tx as Tx & DB);
      await tx.importLock.delete({ where: { key } });
      return result;
    },
    { maxWait: 20_000, timeout: 20_000 },
  );
}
