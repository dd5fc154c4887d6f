import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";
import { fileURLToPath } from "node:url";

const r = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// The whole-run address scan must come after every other file.
class SuiteScanLast extends BaseSequencer {
  async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const last = (f: TestSpecification) => (f.moduleId.endsWith("suite-no-ip.e2e.ts") ? 1 : 0);
    return [...sorted].sort((a, b) => last(a) - last(b));
  }
}

// Browser and first-run flows against real `npm start` servers and Debian's Chromium.
// One file at a time: each starts its own server(s), and a build must never run twice at once.
export default defineConfig({
  resolve: { tsconfigPaths: true, alias: { "server-only": r("./tests/stubs/empty.ts") } },
  test: {
    name: "e2e",
    environment: "node",
    include: ["tests/e2e/**/*.e2e.ts", "tests/attacks/**/*.e2e.ts"],
    globalSetup: ["tests/helpers/e2e-global-setup.ts"],
    fileParallelism: false,
    sequence: { sequencer: SuiteScanLast },
    testTimeout: 180_000,
    hookTimeout: 600_000,
    teardownTimeout: 60_000,
  },
});
