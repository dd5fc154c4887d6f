import { configDefaults, defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";

const r = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const shared = {
  resolve: { tsconfigPaths: true, alias: { "server-only": r("./tests/stubs/empty.ts") } },
};

// One command runs everything but the browser flows: unit tests, then the integration and
// attack suites twice: on a temp SQLite file and on a real PostgreSQL cluster it starts itself.
export default defineConfig({
  ...shared,
  test: {
    projects: [
      {
        ...shared,
        test: { name: "unit", environment: "node", include: ["tests/unit/**/*.test.ts"] },
      },
      {
        ...shared,
        test: {
          name: "sqlite",
          environment: "node",
          include: ["tests/integration/**/*.test.ts", "tests/attacks/**/*.test.ts"],
          // Attacks that need real XMPP and SSH servers run in the servers project.
          exclude: [...configDefaults.exclude, "tests/attacks/servers/**"],
          setupFiles: ["tests/helpers/test-db-setup.ts"],
          env: { PARLEY_TEST_DB: "sqlite" },
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        ...shared,
        // Adapters, executor and worker against real ejabberd, Prosody and OpenSSH on loopback.
        test: {
          name: "servers",
          environment: "node",
          include: ["tests/servers/**/*.test.ts", "tests/attacks/servers/**/*.test.ts"],
          setupFiles: ["tests/helpers/test-db-setup.ts"],
          env: { PARLEY_TEST_DB: "sqlite" },
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        ...shared,
        test: {
          name: "postgres",
          environment: "node",
          include: ["tests/integration/**/*.test.ts", "tests/attacks/**/*.test.ts"],
          // Attacks that need real XMPP and SSH servers run in the servers project.
          exclude: [...configDefaults.exclude, "tests/attacks/servers/**"],
          setupFiles: ["tests/helpers/test-db-setup.ts"],
          globalSetup: ["tests/helpers/postgres-global-setup.ts"],
          env: { PARLEY_TEST_DB: "postgres" },
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
