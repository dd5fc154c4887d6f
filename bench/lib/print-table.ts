// A Markdown table (what bench/README.md records), columns padded to their widest cell.
export function formatTable(header: string[], lines: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  return [fmt(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...lines.map(fmt)];
}

export function printTable(header: string[], lines: string[][]): void {
  for (const line of formatTable(header, lines)) console.log(line);
}
