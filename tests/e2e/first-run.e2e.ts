import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser } from "playwright-core";
import { freePort } from "../harness/ports";
import { waitFor } from "../harness/processes";
import { groupMembers, startGroup, type StartedGroup } from "../helpers/e2e-process";
import { REPO_ROOT, childEnv, lastSetupUrl, waitForHealth } from "../helpers/e2e-server";
import {
  createFirstAdmin,
  field,
  launchChromium,
  newPage,
  signIn,
  signOut,
  unique,
  waitForPath,
  TEST_PASSWORD,
} from "../helpers/e2e-browser";

// ACCEPTANCE: a fresh copy of the repository, the README's Quick start command run verbatim,
// the printed setup link used in a browser, then a restart with `npm start` that keeps the
// data and prints no new link.

const FIRST_START_TIMEOUT_MS = 6 * 60_000; // npm ci (~30-60 s) + next build (~30-60 s) on 2 cores

// The first fenced shell block under the first heading that contains "Quick start".
function quickStartCommand(readme: string): string {
  const lines = readme.split(/\r?\n/);
  const headingAt = lines.findIndex((l) => /^#{1,6}\s.*quick start/i.test(l));
  if (headingAt < 0) throw new Error('README.md has no heading containing "Quick start"');
  const level = lines[headingAt].match(/^#+/)![0].length;
  let end = lines.findIndex((l, i) => i > headingAt && new RegExp(`^#{1,${level}}\\s`).test(l));
  if (end < 0) end = lines.length;
  for (let i = headingAt + 1; i < end; i++) {
    const open = lines[i].match(/^(\s*)(`{3,}|~{3,})\s*([\w-]*)/);
    if (!open) continue;
    const lang = open[3].toLowerCase();
    const close = lines.findIndex(
      (l, j) => j > i && l.trim().startsWith(open[2]) && l.trim().replace(/[`~]/g, "") === "",
    );
    if (close < 0)
      throw new Error(`README.md: the code block opened on line ${i + 1} is never closed`);
    if (!["sh", "bash", "shell", "zsh", ""].includes(lang)) {
      i = close;
      continue;
    }
    const command = lines
      .slice(i + 1, close)
      .join("\n")
      .trim();
    if (!command)
      throw new Error(`README.md: the Quick start shell block on line ${i + 1} is empty`);
    return command;
  }
  throw new Error(
    `README.md: no fenced shell code block (\`\`\`sh) under "${lines[headingAt].trim()}"`,
  );
}

// Tracked files plus untracked ones that are not ignored: what a fresh clone of this working tree has.
function copyWorkingTree(to: string): number {
  const listed = execFileSync(
    "git",
    ["ls-files", "-z", "--cached", "--others", "--exclude-standard"],
    { cwd: REPO_ROOT, maxBuffer: 64 * 1024 * 1024 },
  )
    .toString("utf8")
    .split("\0")
    .filter(Boolean);
  let copied = 0;
  for (const rel of new Set(listed)) {
    const from = path.join(REPO_ROOT, rel);
    let st;
    try {
      st = lstatSync(from);
    } catch {
      continue;
    } // deleted in the working tree
    const dest = path.join(to, rel);
    mkdirSync(path.dirname(dest), { recursive: true });
    if (st.isSymbolicLink()) symlinkSync(readlinkSync(from), dest);
    else if (st.isFile()) {
      copyFileSync(from, dest);
      chmodSync(dest, st.mode & 0o777);
    } else continue;
    copied += 1;
  }
  return copied;
}

// Processes whose working directory is inside `dir` (read from /proc): none may outlive a stop.
function processesIn(dir: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync("/proc").filter((n) => /^\d+$/.test(n))) {
    try {
      const cwd = readlinkSync(`/proc/${pid}/cwd`);
      if (cwd === dir || cwd.startsWith(`${dir}/`))
        found.push(
          `${pid} ${readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ").trim()}`,
        );
    } catch {
      /* gone or not ours to read */
    }
  }
  return found;
}

async function stopAndCheck(run: StartedGroup, dir: string) {
  await run.stopGroup(15_000);
  expect(groupMembers(run.pgid)).toEqual([]);
  expect(processesIn(dir)).toEqual([]);
}

describe("first run from the README's Quick start", () => {
  let dir = "";
  let browser: Browser | undefined;
  const runs: StartedGroup[] = [];

  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "parley-first-run-"));
  });
  afterAll(async () => {
    await browser?.close();
    for (const run of runs) await run.stopGroup(15_000);
    if (dir) {
      const left = processesIn(dir);
      rmSync(dir, { recursive: true, force: true });
      if (left.length) throw new Error(`processes still running in ${dir}: ${left.join("; ")}`);
    }
  });

  it(
    "installs, starts, sets up the first admin and keeps the data over a restart",
    async () => {
      const readmePath = path.join(REPO_ROOT, "README.md");
      if (!existsSync(readmePath))
        throw new Error(
          `README.md is missing at ${readmePath}: the acceptance test runs its "Quick start" command`,
        );
      const command = quickStartCommand(readFileSync(readmePath, "utf8"));
      expect(copyWorkingTree(dir)).toBeGreaterThan(20);
      expect(existsSync(path.join(dir, "node_modules"))).toBe(false);
      expect(existsSync(path.join(dir, ".next"))).toBe(false);

      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      // A plain shell: nothing inherited from the runner's npm or Vitest, no DATABASE_URL (the default data/ dir is used).
      const env = childEnv({ PORT: String(port), PUBLIC_URL: url });
      for (const key of Object.keys(env))
        if (/^npm_/i.test(key) || key === "INIT_CWD") delete env[key];
      // A real first start: the server-actions key is derived from the secrets it generates.
      delete env.NEXT_SERVER_ACTIONS_ENCRYPTION_KEY;

      const first = startGroup("bash", ["-c", command], { name: "quick-start", cwd: dir, env });
      runs.push(first);
      const setupUrl = await waitFor(
        async () => {
          if (first.child.exitCode !== null)
            throw new Error(
              `\`${command}\` exited with ${first.child.exitCode}:\n${first.output().slice(-6000)}`,
            );
          return lastSetupUrl(first.output());
        },
        `PARLEY_SETUP_URL from \`${command}\``,
        FIRST_START_TIMEOUT_MS,
        500,
      ).catch((error: Error) => {
        throw new Error(`${error.message}\n--- output ---\n${first.output().slice(-6000)}`);
      });
      expect(setupUrl.startsWith(`${url}/setup/`), setupUrl).toBe(true);
      await waitForHealth(url, () => first.child.exitCode === null, first.output, 60_000);
      expect(existsSync(path.join(dir, "data", "secrets.json"))).toBe(true);
      // The data folder `npm start` made is closed to other users: 0700, every file in it 0600.
      const data = path.join(dir, "data");
      const modeOf = (p: string) => (statSync(p).mode & 0o777).toString(8);
      expect(modeOf(data)).toBe("700");
      const files = readdirSync(data).filter((f) => statSync(path.join(data, f)).isFile());
      expect(files).toEqual(expect.arrayContaining(["parley.db", "secrets.json"]));
      expect(files.map((f) => [f, modeOf(path.join(data, f))])).toEqual(
        files.map((f) => [f, "600"]),
      );

      browser = await launchChromium();
      const admin = {
        name: "First Admin",
        email: `${unique("first")}@parley.test`.toLowerCase(),
        password: TEST_PASSWORD,
      };
      const planName = unique("Starter");
      const customerName = unique("First customer");
      {
        const { context, page } = await newPage(browser, url);
        await createFirstAdmin(page, setupUrl, admin);
        await signIn(page, admin.email, admin.password);
        expect(new URL(page.url()).pathname).toBe("/console/security");

        await page.goto("/console/plans");
        await page.getByRole("link", { name: "New plan" }).first().click();
        await waitForPath(page, "/console/plans/new");
        await field(page, "Name").fill(planName);
        await field(page, "Seats (XMPP accounts)").fill("4");
        await page.getByRole("button", { name: "Create plan" }).click();
        await waitForPath(page, "/console/plans", { created: "1" });
        await page.getByRole("link", { name: planName }).waitFor();

        await page.goto("/console/customers");
        await page.getByRole("link", { name: "Add customer" }).first().click();
        await waitForPath(page, "/console/customers/new");
        await field(page, "Name").fill(customerName);
        await field(page, "Contact email").fill(`${unique("billing")}@example.org`);
        await field(page, "Plan").selectOption({ label: `${planName} (4 seats, 5 rooms)` });
        await page.getByRole("button", { name: "Add customer" }).click();
        await waitForPath(page, /^\/console\/customers\/(?!new$)[^/]+$/, { created: "1" });
        await signOut(page);
        await context.close();
      }

      await stopAndCheck(first, dir);

      const second = startGroup("npm", ["start"], { name: "npm-start", cwd: dir, env });
      runs.push(second);
      await waitForHealth(url, () => second.child.exitCode === null, second.output, 3 * 60_000);
      // Health answers only after instrumentation ran, which is where the link would be printed.
      expect(second.output()).not.toContain("PARLEY_SETUP_URL");
      expect(second.output()).not.toContain("building the console"); // sources unchanged: no rebuild

      {
        const { context, page } = await newPage(browser, url);
        await signIn(page, admin.email, admin.password);
        await page.goto(`/console/customers?q=${encodeURIComponent(customerName)}`);
        const row = page.getByRole("row").filter({ hasText: customerName });
        await expect(row.innerText()).resolves.toContain(planName);

        await signOut(page);
        await page.goto(setupUrl);
        await expect(page.getByTestId("link-problem").innerText()).resolves.toMatch(
          /already used|expired|not valid/,
        );
        await context.close();
      }
      expect(second.output()).not.toContain("PARLEY_SETUP_URL");

      await stopAndCheck(second, dir);
    },
    FIRST_START_TIMEOUT_MS + 5 * 60_000,
  );
});
