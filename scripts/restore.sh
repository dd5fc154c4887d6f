#!/usr/bin/env bash
# Restores a Parley backup (docs/deployment.md) into a fresh PostgreSQL database:
#   scripts/restore.sh <backup.dump> <secrets.json> <postgresql://… target> [--force]
# 1. refuses a target that already has tables (restore into a new, empty database);
# 2. pg_restore of the custom-format dump (pg_dump --format=custom), stopping at the first error;
# 3. applies migrations newer than the backup;
# 4. installs the secrets file at $PARLEY_SECRETS_FILE (default data/secrets.json), mode 600,
#    refusing to replace a different one unless --force;
# 5. checks that the restored encryption key opens the restored sealed values.
# Then start the console on it: DATABASE_URL=<target> npm start
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { echo "[parley] restore: $*" >&2; exit 1; }
[ $# -ge 3 ] || fail "usage: scripts/restore.sh <backup.dump> <secrets.json> <postgresql://… target> [--force]"
dump=$1 secrets=$2 url=$3 force=${4:-}
[ -f "$dump" ] || fail "no backup file at $dump"
[ -f "$secrets" ] || fail "no secrets file at $secrets"
[[ "$url" =~ ^postgres(ql)?:// ]] || fail "the target must be a postgresql:// URL"
command -v pg_restore >/dev/null || fail "pg_restore is missing: apt-get install -y postgresql-client"
node -e '
  const s = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  if (!s.sessionSecret || !s.encryptionKey) process.exit(1);
' "$secrets" 2>/dev/null || fail "$secrets is not a Parley secrets file (sessionSecret, encryptionKey)"

tables=$(psql "$url" -tAc "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'") \
  || fail "cannot reach the target database"
[ "$tables" = "0" ] || fail "the target database already has $tables tables; restore into a new, empty one"

echo "[parley] restore: restoring $dump"
pg_restore --no-owner --no-privileges --exit-on-error --dbname="$url" "$dump"
echo "[parley] restore: applying newer migrations"
DATABASE_URL="$url" node scripts/db-migrate.mjs deploy

target=${PARLEY_SECRETS_FILE:-data/secrets.json}
if [ -f "$target" ] && ! cmp -s "$secrets" "$target"; then
  [ "$force" = "--force" ] || fail "$target exists and differs from $secrets (pass --force to replace it)"
fi
mkdir -p "$(dirname "$target")"
(umask 077 && cp "$secrets" "$target.tmp" && mv "$target.tmp" "$target")
chmod 600 "$target"

DATABASE_URL="$url" PARLEY_SECRETS_FILE="$target" node scripts/run-ts.mjs scripts/check-secrets.ts
echo "[parley] restore: done. Start the console with DATABASE_URL set to the restored database (secrets: $target)."
