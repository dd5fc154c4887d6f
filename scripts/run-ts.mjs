// Runs a TypeScript entry point of this project (worker, bench, demo) in this very process
// through tsx, so signals reach it directly. Usage: node scripts/run-ts.mjs <file.ts> [args…]
import { existsSync } from "node:fs";
import path from "node:path";
import { register } from "tsx/esm/api";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const entry = process.argv[2];
if (!entry) {
  console.error("usage: node scripts/run-ts.mjs <file.ts> [args…]");
  process.exit(2);
}
process.chdir(root);
if (existsSync(".env")) process.loadEnvFile(".env");
process.env.CHECKPOINT_DISABLE ??= "1";
process.env.NEXT_TELEMETRY_DISABLED ??= "1";
register({ tsconfig: path.join(root, "tsconfig.json") });
await import(path.resolve(root, entry));
