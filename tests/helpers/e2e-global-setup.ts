import { existsSync } from "node:fs";
import { rmSync } from "node:fs";
import { startParley, SUITE_ARCHIVE } from "./e2e-server";
import { CHROMIUM } from "./e2e-browser";

// Runs once before the browser suites: `node scripts/start.mjs` against a throwaway
// database builds the console if the sources changed since the last build (and writes the
// build stamp start.mjs checks), then is stopped. Later starts find .next current, so no
// two builds ever run in this checkout at once.
export default async function setup() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: install it with \`DEBIAN_FRONTEND=noninteractive apt-get install -y chromium\` (npx playwright install cannot work offline).`,
    );
  }
  rmSync(SUITE_ARCHIVE, { recursive: true, force: true });
  const started = Date.now();
  const server = await startParley({ healthTimeoutMs: 10 * 60_000 });
  try {
    const built = server.output().includes("building the console");
    console.log(
      `[e2e] console ${built ? "built" : "already built"}; first start took ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  } finally {
    await server.dispose();
  }
}
