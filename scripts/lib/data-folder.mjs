// The data folder holds the SQLite database (with its WAL, where recent rows sit in clear) and
// the secrets: readable by the service user only. Run by `npm start` before anything is created,
// and on every start, so installs made before this rule are fixed too.
import { chmodSync, existsSync, mkdirSync, statSync } from "node:fs";
import path from "node:path";

const SQLITE_SIDECARS = ["", "-wal", "-shm", "-journal"];

// A folder Parley may close: ours, and not a shared one (sticky or world-writable, like /tmp).
function ownPrivateCandidate(dir) {
  const st = statSync(dir);
  const uid = process.getuid?.();
  return (uid === undefined || st.uid === uid) && (st.mode & 0o1002) === 0;
}

/**
 * @param {{ sqliteFile?: string | null, secretsFile: string }} where
 * @returns {string[]} what was made private, for the start log
 */
export function prepareDataFolder({ sqliteFile, secretsFile }) {
  // Files created later by this process and its children (the console, SQLite) are private.
  process.umask(0o077);
  const changed = [];
  const tighten = (p, mode) => {
    if (!existsSync(p)) return;
    const st = statSync(p);
    if ((st.mode & 0o777 & ~mode) === 0) return;
    chmodSync(p, st.mode & mode);
    changed.push(`${p} (was ${(st.mode & 0o777).toString(8)})`);
  };
  const dirs = new Set([path.dirname(secretsFile)]);
  if (sqliteFile) dirs.add(path.dirname(sqliteFile));
  for (const dir of dirs) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (ownPrivateCandidate(dir)) tighten(dir, 0o700);
  }
  if (sqliteFile) for (const suffix of SQLITE_SIDECARS) tighten(`${sqliteFile}${suffix}`, 0o600);
  tighten(secretsFile, 0o600);
  return changed;
}
