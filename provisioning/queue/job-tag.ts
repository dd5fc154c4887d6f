import { AsyncLocalStorage } from "node:async_hooks";

// Jobs enqueued while a bulk operation applies one of its items carry the operation's id, so
// its progress can count the work that item caused on the servers. Carried by async context
// rather than by every domain function's arguments: the domain code does not know about bulk.
const bulkTag = new AsyncLocalStorage<string>();

export function withBulkTag<T>(operationId: string, fn: () => Promise<T>): Promise<T> {
  return bulkTag.run(operationId, fn);
}

export function currentBulkTag(): string | null {
  return bulkTag.getStore() ?? null;
}
