import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { createClient } from "@libsql/client";
import { walk } from "./e2e-ip-scan";

// Finds one-time tokens that still work in what a server left on disk: its database files (main,
// WAL, shared memory), its output and anything else in its data folder. A token is any 43-character
// base64url run (256 bits, core/tokens.ts), alone or in a link; it counts when its hash belongs to
// a setup, welcome or reset link or an invite that could still be used, per the server's own
// database. The setup link `npm start` prints for the operator (README, Quick start) is the one
// token meant for the terminal; that line of the output is left out.

export type TokenFinding = { source: string; table: string; context: string };

const TOKEN = /(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g;
const IN_LINK = /\/(?:welcome|invite|reset|setup)\/([A-Za-z0-9_-]{43})/g;
const PRINTED_SETUP_LINK = /^.*PARLEY_SETUP_URL=.*$/gm;

const sha256 = (t: string) => createHash("sha256").update(t, "utf8").digest("hex");

function dateOf(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  return typeof value === "number" || typeof value === "bigint"
    ? Number(value)
    : Date.parse(String(value));
}

// Hashes of tokens that would still be accepted, with the table they live in.
export async function liveTokenHashes(
  dbFile: string,
  at = Date.now(),
): Promise<Map<string, string>> {
  const db = createClient({ url: `file:${dbFile}` });
  const live = new Map<string, string>();
  try {
    const setup = await db.execute('SELECT "tokenHash", "expiresAt", "usedAt" FROM "SetupToken"');
    for (const r of setup.rows)
      if (r.usedAt === null && (dateOf(r.expiresAt) ?? 0) > at)
        live.set(String(r.tokenHash), "SetupToken");
    const resets = await db.execute(
      'SELECT "tokenHash", "expiresAt", "usedAt", "revokedAt" FROM "ResetLink"',
    );
    for (const r of resets.rows)
      if (r.usedAt === null && r.revokedAt === null && (dateOf(r.expiresAt) ?? 0) > at)
        live.set(String(r.tokenHash), "ResetLink");
    const invites = await db.execute(
      'SELECT "tokenHash", "expiresAt", "revokedAt", "uses", "maxUses" FROM "Invite"',
    );
    for (const r of invites.rows) {
      const expires = dateOf(r.expiresAt);
      if (
        r.revokedAt === null &&
        Number(r.uses) < Number(r.maxUses) &&
        (expires === null || expires > at)
      )
        live.set(String(r.tokenHash), "Invite");
    }
  } finally {
    db.close();
  }
  return live;
}

function candidates(text: string): Set<string> {
  const found = new Set<string>();
  for (const m of text.matchAll(TOKEN)) found.add(m[0]);
  // A link's token may sit right against the neighbouring column's bytes.
  for (const m of text.matchAll(IN_LINK)) found.add(m[1]);
  return found;
}

// Every file under `dir`, checked against the live tokens of `dbFile` (a copy is fine).
export async function scanForLiveTokens(dir: string, dbFile: string): Promise<TokenFinding[]> {
  if (!existsSync(dbFile)) throw new Error(`scanForLiveTokens: no database at ${dbFile}`);
  const files: string[] = [];
  walk(dir, files);
  // Read the bytes before the database is opened (opening it may checkpoint the WAL).
  const contents = files.map((file) => ({ file, data: readFileSync(file) }));
  const live = await liveTokenHashes(dbFile);
  const findings: TokenFinding[] = [];
  for (const { file, data } of contents) {
    const views = [
      data.toString("latin1"),
      data.toString("utf16le"),
      data.subarray(1).toString("utf16le"),
    ];
    for (const view of views) {
      const text = view.replace(PRINTED_SETUP_LINK, "");
      for (const token of candidates(text)) {
        const table = live.get(sha256(token));
        if (!table) continue;
        const at = text.indexOf(token);
        findings.push({
          source: path.relative(dir, file),
          table,
          context: text.slice(Math.max(0, at - 60), at).replace(/[^\x20-\x7e]/g, "·") + "<token>",
        });
      }
    }
  }
  return findings;
}
