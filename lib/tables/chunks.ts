// Reads for many keys at once, a few hundred per query: the SQLite driver refuses a statement
// with more than 999 bound parameters.
export async function readInChunks<K, R>(
  keys: K[],
  read: (chunk: K[]) => Promise<R[]>,
  size = 500,
): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < keys.length; i += size) out.push(...(await read(keys.slice(i, i + size))));
  return out;
}
