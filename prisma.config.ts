import path from "node:path";
import { defineConfig } from "prisma/config";

// The native schema engine cannot be downloaded here; generate never runs it, and
// migrations go through scripts/db-migrate.mjs (the Wasm engine) instead.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.resolve("scripts/schema-engine-offline-stub.sh");
process.env.PRISMA_HIDE_UPDATE_MESSAGE ??= "1";
process.env.CHECKPOINT_DISABLE ??= "1";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "file:./data/parley.db" },
});
