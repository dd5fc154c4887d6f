import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

// Finds literal IP addresses in files, directories and captured text: the check behind
// "the database and logs contain no client IP address". Plain text, in UTF-8 and UTF-16LE
// (SQLite may store text in either). Pick addresses that are not prefixes of one another.

export type Finding = { source: string; address: string; offset: number; context: string };
export type ScanTargets = { files?: string[]; dirs?: string[]; texts?: Record<string, string> };

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function patternFor(address: string): RegExp {
  // A plain substring match, deliberately without word boundaries: in a database file a
  // value sits right next to the bytes of the neighbouring column (often digits), so any
  // boundary rule would miss real hits. Over-reporting is the safe side for this check.
  return new RegExp(escapeRegExp(address), "gi");
}

function scanText(source: string, text: string, addresses: string[], findings: Finding[]) {
  for (const address of addresses) {
    for (const match of text.matchAll(patternFor(address))) {
      const at = match.index ?? 0;
      findings.push({
        source,
        address,
        offset: at,
        context: text
          .slice(Math.max(0, at - 60), at + address.length + 60)
          .replace(/[^\x20-\x7e]/g, "·"),
      });
    }
  }
}

function scanBuffer(source: string, data: Buffer, addresses: string[], findings: Finding[]) {
  scanText(source, data.toString("latin1"), addresses, findings);
  // UTF-16LE at both byte alignments.
  scanText(`${source} (utf-16le)`, data.toString("utf16le"), addresses, findings);
  if (data.length > 1)
    scanText(
      `${source} (utf-16le, odd)`,
      data.subarray(1).toString("utf16le"),
      addresses,
      findings,
    );
}

// Every file below dir.
export function walk(dir: string, out: string[]) {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) walk(p, out);
    else if (st.isFile()) out.push(p);
  }
}

export function scanForAddresses(targets: ScanTargets, addresses: string[]): Finding[] {
  if (addresses.length === 0) throw new Error("scanForAddresses: no addresses to look for");
  const findings: Finding[] = [];
  const files = new Set(targets.files ?? []);
  for (const dir of targets.dirs ?? []) {
    const inDir: string[] = [];
    walk(dir, inDir);
    inDir.forEach((f) => files.add(f));
  }
  for (const file of files) scanBuffer(file, readFileSync(file), addresses, findings);
  for (const [label, text] of Object.entries(targets.texts ?? {}))
    scanText(label, text, addresses, findings);
  return findings;
}

// Every file of an SQLite database: the main file and whichever sidecars exist right now.
export function sqliteFiles(dbFile: string): string[] {
  return [dbFile, `${dbFile}-wal`, `${dbFile}-shm`, `${dbFile}-journal`].filter((f) => {
    try {
      return statSync(f).isFile();
    } catch {
      return false;
    }
  });
}
