// Loads the keys asked for in one turn of the event loop together, with one query: the jobs a
// worker claims in one batch start in the same turn, so their reads of one table become one
// statement instead of one each.
export function tickBatcher<K, V>(
  loadMany: (keys: K[]) => Promise<Map<K, V>>,
): (key: K) => Promise<V | undefined> {
  type Waiter = { resolve: (value: V | undefined) => void; reject: (error: unknown) => void };
  let pending: Map<K, Waiter[]> | null = null;
  return (key) =>
    new Promise<V | undefined>((resolve, reject) => {
      if (!pending) {
        const batch = (pending = new Map());
        process.nextTick(() => {
          pending = null;
          loadMany([...batch.keys()]).then(
            (found) => {
              for (const [k, waiters] of batch) for (const w of waiters) w.resolve(found.get(k));
            },
            (error) => {
              for (const waiters of batch.values()) for (const w of waiters) w.reject(error);
            },
          );
        });
      }
      const waiters = pending.get(key) ?? [];
      waiters.push({ resolve, reject });
      pending.set(key, waiters);
    });
}
