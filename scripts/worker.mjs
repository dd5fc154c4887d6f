// `npm run worker`: the provisioning worker as its own process (set PARLEY_WORKER=off on the
// console then). Loads the TypeScript sources through tsx in this same process, so signals
// reach the worker directly; reads the same DATABASE_URL and secrets as the console.
import { existsSync } from "node:fs";
import path from "node:path";
import { register } from "tsx/esm/api";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
process.chdir(root);
if (existsSync(".env")) process.loadEnvFile(".env");
process.env.CHECKPOINT_DISABLE ??= "1";
register({ tsconfig: path.join(root, "tsconfig.json") });
await import(path.join(root, "provisioning/worker-main.ts"));
