// Exponential backoff with full jitter: 2 s, 4 s, 8 s … capped at 10 minutes.
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const base = 2_000 * 2 ** Math.max(0, attempt - 1);
  const capped = Math.min(base, 10 * 60_000);
  return Math.round(capped / 2 + random() * (capped / 2));
}
