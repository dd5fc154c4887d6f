// Derives prisma/postgres/schema.prisma from the SQLite source schema.
// `--check` exits 1 when the derived file on disk is stale (run in CI).
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";

const source = readFileSync("prisma/schema.prisma", "utf8");
const target = "prisma/postgres/schema.prisma";

function replaceOnce(text, pattern, replacement) {
  if (!pattern.test(text))
    throw new Error(`prisma-schemas: pattern ${pattern} not found in prisma/schema.prisma`);
  return text.replace(pattern, replacement);
}

let derived = replaceOnce(source, /provider\s*=\s*"sqlite"/, 'provider = "postgresql"');
derived = replaceOnce(
  derived,
  /output\s*=\s*"\.\.\/generated\/sqlite"/,
  'output   = "../../generated/postgres"',
);
// Lines marked `// @postgres ` in the source are PostgreSQL-only (e.g. trigram indexes).
derived = derived.replace(/^(\s*)\/\/ @postgres (.*)$/gm, "$1$2");
derived =
  "// GENERATED from prisma/schema.prisma by scripts/prisma-schemas.mjs: do not edit.\n" + derived;

if (process.argv.includes("--check")) {
  let current = "";
  try {
    current = readFileSync(target, "utf8");
  } catch {}
  if (current !== derived) {
    console.error(`${target} is stale: run npm run db:generate and commit it.`);
    process.exit(1);
  }
  console.log(`${target} is up to date.`);
} else {
  mkdirSync("prisma/postgres", { recursive: true });
  writeFileSync(target, derived);
}
