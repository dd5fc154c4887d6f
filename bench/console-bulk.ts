// Hook for issue 12's "bulk suspend of 10,000 accounts end to end against a real ejabberd":
// the bulk framework (bulk actions on the queue with progress) fills this in. It gets a
// console with a seeded database and returns its figures; null prints "not measured yet".
import type { DB } from "../core/db";

export type BulkContext = { db: DB; baseUrl: string; cookie: string; quick: boolean };
export type BulkResult = { accounts: number; seconds: number; note?: string };

export async function benchBulkSuspend(_ctx: BulkContext): Promise<BulkResult | null> {
  return null;
}
