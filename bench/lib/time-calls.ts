// p50/p95 of a list read called again and again on a seeded database, one Markdown table row
// per case (what bench/README.md records).
export const CALLS = 20;

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

export function printTimingHeader(): void {
  console.log(`| ${"case".padEnd(58)} | rows |  p50 ms |  p95 ms |`);
  console.log(`|${"-".repeat(60)}|------|---------|---------|`);
}

export async function time(
  label: string,
  call: () => Promise<{ rows: unknown[] }>,
  calls = CALLS,
): Promise<{ p50: number; p95: number }> {
  await call(); // warm: prepared statements, the enum order, the page cache
  const ms: number[] = [];
  let rows = 0;
  for (let i = 0; i < calls; i++) {
    const t0 = performance.now();
    rows = (await call()).rows.length;
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  const [p50, p95] = [pct(ms, 50), pct(ms, 95)];
  console.log(
    `| ${label.padEnd(58)} | ${String(rows).padStart(4)} | ${p50.toFixed(1).padStart(7)} | ${p95.toFixed(1).padStart(7)} |`,
  );
  return { p50, p95 };
}
