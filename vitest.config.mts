import { configDefaults, defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";

const r = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const shared = {
  resolve: { tsconfigPaths: true, alias: { "server-only": r("./tests/stubs/empty.ts") } },
};

const servers = {
  environment: "node",
  include: ["tests/servers/**/*.test.ts", "tests/attacks/servers/**/*.test.ts"],
  setupFiles: ["tests/helpers/test-db-setup.ts"],
  testTimeout: 60_000,
  hookTimeout: 120_000,
};

// One command runs everything but the browser flows: unit tests, then the integration and
// attack suites twice: on a temp SQLite file and on a real PostgreSQL cluster it starts itself;
// the servers suite twice: on Debian 12's ejabberd and Prosody and on bookworm-backports' releases.
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
        // Adapters, executor and worker against real ejabberd, Prosody and OpenSSH on loopback:
        // Debian 12's ejabberd 23.01 and Prosody 0.12.
        test: { ...servers, name: "servers", env: { PARLEY_TEST_DB: "sqlite" } },
      },
      {
        ...shared,
        // The same files against bookworm-backports' ejabberd 24.x and Prosody 13, unpacked into
        // a private prefix by scripts/install-backports.sh (the executor tests start no XMPP server).
        test: {
          ...servers,
          name: "servers-backports",
          exclude: [...configDefaults.exclude, "tests/servers/executor.test.ts"],
          env: { PARLEY_TEST_DB: "sqlite", PARLEY_SERVER_GENERATION: "backports" },
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
