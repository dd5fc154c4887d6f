// p50/p95 of one list read, printed as a markdown table row (after printHeader).
export const CALLS = 20;

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

export function printHeader(what: string) {
  console.log(`${what}; ${CALLS} calls per case\n`);
  console.log(`| ${"case".padEnd(58)} | rows |  p50 ms |  p95 ms |`);
  console.log(`|${"-".repeat(60)}|------|---------|---------|`);
}

export async function timeCase(label: string, call: () => Promise<{ rows: unknown[] }>) {
  await call(); // warm: prepared statements, the enum order, the page cache
  const ms: number[] = [];
  let rows = 0;
  for (let i = 0; i < CALLS; i++) {
    const t0 = performance.now();
    rows = (await call()).rows.length;
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  const cell = (n: number) => n.toFixed(1).padStart(7);
  console.log(
    `| ${label.padEnd(58)} | ${String(rows).padStart(4)} | ${cell(pct(ms, 50))} | ${cell(pct(ms, 95))} |`,
  );
  return { p50: pct(ms, 50), p95: pct(ms, 95) };
}
