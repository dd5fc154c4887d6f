#!/bin/sh
echo "native schema-engine not installed; use npm run db:* (scripts/db-migrate.mjs)" >&2
exit 1
