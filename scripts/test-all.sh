#!/usr/bin/env bash
# The whole suite, as CI runs it: install, check the derived PostgreSQL schema,
# type-check, unit + integration tests (SQLite and a real PostgreSQL), the servers suite
# against Debian 12's ejabberd and Prosody and again against bookworm-backports' releases, then
# the Chromium end-to-end flows against the built console.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1 CHECKPOINT_DISABLE=1

start=$(date +%s)
step() { echo; echo "== $1 ($(( $(date +%s) - start ))s)"; }

step "install"
bash scripts/install-test-deps.sh
step "derived PostgreSQL schema is current"
npm run --silent db:check
step "type-check"
npm run --silent typecheck
step "lint and format (ESLint with the layer rules, Prettier)"
npm run --silent lint
step "unit, integration (SQLite, PostgreSQL) and servers tests (Debian 12 and backports releases)"
npx vitest run
step "end-to-end flows (Chromium)"
npx vitest run --config vitest.e2e.config.mts
step "benchmark smoke run (bench/README.md has the full numbers)"
npm run --silent bench:provisioning -- --smoke
npm run --silent bench:console -- --quick
step "done in $(( $(date +%s) - start ))s"
