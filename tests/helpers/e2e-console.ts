import type { Browser, Page } from "playwright-core";
import { startParley, type ParleyServer } from "./e2e-server";
import {
  createFirstAdmin,
  launchChromium,
  newPage,
  signIn,
  unique,
  TEST_PASSWORD,
} from "./e2e-browser";

// A fresh console with its first admin signed in, in Chromium, and this process's Prisma on
// the console's own database for fixtures.
export type SignedInConsole = {
  server: ParleyServer;
  browser: Browser;
  admin: Page;
  prisma: typeof import("@/core/db").prisma;
  close(): Promise<void>;
};

export async function openConsoleAsAdmin(
  name: string,
  env?: Record<string, string>,
): Promise<SignedInConsole> {
  const server = await startParley({ env });
  process.env.DATABASE_URL = `file:${server.dbFile}`;
  delete (globalThis as { parleyPrisma?: unknown }).parleyPrisma;
  const prisma = (await import("@/core/db")).prisma;
  const browser = await launchChromium();
  const admin = (await newPage(browser, server.url)).page;
  const first = name.split(" ")[0].toLowerCase();
  const user = {
    name,
    email: `${unique(first)}@parley.test`.toLowerCase(),
    password: TEST_PASSWORD,
  };
  await createFirstAdmin(admin, server.setupUrl()!, user);
  await signIn(admin, user.email, user.password);
  return {
    server,
    browser,
    admin,
    prisma,
    async close() {
      await browser.close();
      const holder = globalThis as { parleyPrisma?: { $disconnect: () => Promise<void> } };
      await holder.parleyPrisma?.$disconnect();
      await server.dispose();
    },
  };
}
