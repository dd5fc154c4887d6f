// Nearest-rank percentile of an ascending list.
export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export const ms = (n: number | undefined) => (n === undefined ? "—" : n.toFixed(1));
