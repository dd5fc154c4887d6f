#!/usr/bin/env bash
# Creates a migration named $1 for BOTH databases from prisma/schema.prisma:
# SQLite on a temp file, PostgreSQL on a throwaway cluster (needs the postgresql package, root).
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:?usage: scripts/new-migration.sh <name>}
npm run --silent db:generate

tmp=$(mktemp -d)
trap 'runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "$tmp/pg/data" -m fast -w stop >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT

DATABASE_URL="file:$tmp/sqlite.db" node scripts/db-migrate.mjs deploy
DATABASE_URL="file:$tmp/sqlite.db" node scripts/db-migrate.mjs dev --name "$name"

B=/usr/lib/postgresql/15/bin
mkdir -p "$tmp/pg" && chmod 755 "$tmp" "$tmp/pg" && chown postgres:postgres "$tmp/pg"
port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
runuser -u postgres -- $B/initdb -D "$tmp/pg/data" -A trust -U postgres -E UTF8 --no-sync >/dev/null
runuser -u postgres -- $B/pg_ctl -D "$tmp/pg/data" -l "$tmp/pg/log" -w -o "-p $port -k $tmp/pg -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
url="postgresql://postgres@127.0.0.1:$port/postgres"
DATABASE_URL="$url" node scripts/db-migrate.mjs deploy
DATABASE_URL="$url" node scripts/db-migrate.mjs dev --name "$name"
