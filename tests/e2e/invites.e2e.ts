import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { startParley, type ParleyServer } from "../helpers/e2e-server";
import {
  createFirstAdmin,
  field,
  launchChromium,
  newPage,
  signIn,
  unique,
  waitForPath,
  TEST_PASSWORD,
} from "../helpers/e2e-browser";
import { startEjabberd, type EjabberdInstance } from "../harness/ejabberd";
import { tryLogin } from "../helpers/xmpp-client";
import { addEjabberdInConsole } from "../helpers/e2e-add-server";
import { EjabberdAdapter } from "@/provisioning/servers/ejabberd/adapter";

// From the console to a working account on a real ejabberd, through the invite pages.
describe("invites in Chromium", () => {
  let server: ParleyServer;
  let ej: EjabberdInstance;
  let browser: Browser;
  let admin: Page;
  let token: string;
  let adapter: EjabberdAdapter;
  let prisma: typeof import("@/core/db").prisma;
  let firstAddress = "";
  const adminUser = {
    name: "Ivy Inviter",
    email: `${unique("ivy")}@parley.test`.toLowerCase(),
    password: TEST_PASSWORD,
  };

  beforeAll(async () => {
    [server, ej] = await Promise.all([startParley(), startEjabberd()]);
    token = await ej.mintToken();
    adapter = new EjabberdAdapter({
      apiUrl: ej.apiUrl,
      token,
      domain: ej.vhost,
      mucDomain: ej.mucDomain,
    });
    process.env.DATABASE_URL = `file:${server.dbFile}`;
    delete (globalThis as { parleyPrisma?: unknown }).parleyPrisma;
    prisma = (await import("@/core/db")).prisma;
    browser = await launchChromium();
    admin = (await newPage(browser, server.url)).page;
    await createFirstAdmin(admin, server.setupUrl()!, adminUser);
    await signIn(admin, adminUser.email, adminUser.password);
    const plan = await prisma.plan.create({
      data: { name: "Family", seats: 6, rooms: 2, retentionDays: 30 },
    });
    await prisma.customer.create({
      data: { name: "The Invitees", contactEmail: "family@example.test", planId: plan.id },
    });
  }, 240_000);

  afterAll(async () => {
    await adapter?.close();
    await browser?.close();
    const holder = globalThis as { parleyPrisma?: { $disconnect: () => Promise<void> } };
    await holder.parleyPrisma?.$disconnect();
    await Promise.all([server?.dispose(), ej?.stop()]);
  });

  async function createInvite(
    kind: string,
    extra: (page: Page) => Promise<void> = async () => undefined,
  ): Promise<string> {
    await admin.goto("/console/invites");
    await field(admin, "For").selectOption(kind);
    await extra(admin);
    await admin.getByRole("button", { name: "Create invite" }).click();
    const link = admin.getByTestId("one-time-link");
    await link.waitFor();
    await admin.getByTestId("qr-code").locator("svg").waitFor();
    return link.inputValue();
  }

  async function register(link: string, localpart: string): Promise<string> {
    const { page, context } = await newPage(browser, server.url);
    const response = await page.goto(link);
    expect(response?.headers()["referrer-policy"]).toBe("no-referrer");
    await expect(page.getByRole("link", { name: "Conversations" }).count()).resolves.toBe(1);
    await expect(page.getByTestId("open-in-app").getAttribute("href")).resolves.toMatch(
      /^xmpp:.*preauth=/,
    );
    await field(page, "Username").fill(localpart);
    await expect
      .poll(() => page.getByTestId("username-status").innerText())
      .toContain("is available");
    await field(page, "Password").fill("a long and private password");
    await field(page, "Repeat password").fill("a long and private password");
    await page.getByRole("button", { name: "Create my account" }).click();
    await waitForPath(page, /^\/invite\/welcome\//);
    const address = await page.getByTestId("new-address").innerText();
    // The worker inside the console creates the account on ejabberd; the page updates itself.
    await page.getByTestId("account-ready").waitFor({ timeout: 60_000 });
    await context.close();
    return address;
  }

  it("adds the ejabberd server in the console and tests the connection", async () => {
    await addEjabberdInConsole(admin, ej, token, "Family chat");
  });

  it("an account invite: landing page, browser registration, then a real XMPP login", async () => {
    const link = await createInvite("ACCOUNT");
    expect(link).toMatch(new RegExp(`^${server.url}/invite/[A-Za-z0-9_-]{43}$`));
    firstAddress = await register(link, "Grace");
    expect(firstAddress).toBe(`grace@${ej.vhost}`);
    expect(
      await tryLogin({
        host: "127.0.0.1",
        port: ej.c2sPort,
        domain: ej.vhost,
        username: "grace",
        password: "a long and private password",
      }),
    ).toEqual({ ok: true });

    // Used up: the same link now explains itself and creates nothing.
    const { page, context } = await newPage(browser, server.url);
    await page.goto(link);
    await expect(page.getByTestId("invite-problem").getAttribute("data-state")).resolves.toBe(
      "used",
    );
    await context.close();
    await admin.goto("/console/invites");
    await expect(admin.getByTestId("invite-row").first().innerText()).resolves.toContain(
      firstAddress,
    );
  });

  it("a room invite makes the new account a member of the room, read back from the server", async () => {
    await admin.goto("/console/rooms");
    await field(admin, "Room name").fill("kitchen");
    await field(admin, "Members").fill(`${firstAddress} owner`);
    await admin.getByRole("button", { name: "Create room" }).click();
    await waitForPath(admin, /^\/console\/rooms\/(?!new)[^/]+$/);
    await expect
      .poll(async () => (await prisma.room.findFirst({ where: { name: "kitchen" } }))?.status, {
        timeout: 30_000,
      })
      .toBe("ACTIVE");

    const link = await createInvite("ROOM", async (page) => {
      await field(page, "Room (for room invites)").selectOption({
        label: `kitchen@${ej.mucDomain} (The Invitees)`,
      });
    });
    const address = await register(link, "henry");
    await expect
      .poll(async () => (await adapter.readRoom("kitchen"))?.affiliations[address], {
        timeout: 30_000,
      })
      .toBe("member");
    expect((await adapter.readRoom("kitchen"))?.affiliations[firstAddress]).toBe("owner");
  });

  it("a contact invite puts each account in the other's roster, read back from the server", async () => {
    const grace = await prisma.xmppAccount.findFirstOrThrow({ where: { localpart: "grace" } });
    const link = await createInvite("CONTACT", async (page) => {
      await field(page, "Contact of (for contact invites)").selectOption(grace.id);
    });
    const address = await register(link, "iris");
    const rosterOf = async (user: string) =>
      (await (
        await fetch(`${ej.apiUrl}/get_roster`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}` },
          body: JSON.stringify({ user, host: ej.vhost }),
        })
      ).json()) as { jid: string; subscription: string }[];
    await expect
      .poll(
        async () => (await rosterOf("iris")).find((r) => r.jid === firstAddress)?.subscription,
        { timeout: 60_000 },
      )
      .toBe("both");
    expect((await rosterOf("grace")).find((r) => r.jid === address)?.subscription).toBe("both");
  }, 90_000);

  it("with the server down, a registration is kept, the page says so, and it completes when the server is back", async () => {
    const link = await createInvite("ACCOUNT");
    await ej.kill();
    const { page, context } = await newPage(browser, server.url);
    await page.goto(link);
    await field(page, "Username").fill("june");
    await field(page, "Password").fill("a long and private password");
    await field(page, "Repeat password").fill("a long and private password");
    await page.getByRole("button", { name: "Create my account" }).click();
    await waitForPath(page, /^\/invite\/welcome\//);
    await expect
      .poll(() => page.getByTestId("account-pending").innerText(), { timeout: 30_000 })
      .toContain("cannot be reached right now");
    await ej.restart();
    await page.getByTestId("account-ready").waitFor({ timeout: 90_000 });
    await context.close();
    expect(
      await tryLogin({
        host: "127.0.0.1",
        port: ej.c2sPort,
        domain: ej.vhost,
        username: "june",
        password: "a long and private password",
      }),
    ).toEqual({ ok: true });
  }, 150_000);

  it("expired, withdrawn and malformed links get a clear page and create nothing", async () => {
    const link = await createInvite("ACCOUNT");
    const invite = await prisma.invite.findFirstOrThrow({ orderBy: { createdAt: "desc" } });
    await admin.goto("/console/invites?status=active");
    const row = admin.getByTestId("invite-row").filter({ hasText: "active" }).first();
    // Both buttons submit the list's shared forms with the row's invite.
    admin.once("dialog", (d) => void d.accept());
    await row.getByRole("button", { name: "New link" }).click();
    const newLink = await admin.getByTestId("one-time-link").inputValue();
    expect(newLink).toContain("/invite/");
    expect(newLink).not.toBe(link);
    admin.once("dialog", (d) => void d.accept());
    await row.getByRole("button", { name: "Withdraw" }).click();
    await expect
      .poll(
        async () => (await prisma.invite.findUniqueOrThrow({ where: { id: invite.id } })).revokedAt,
      )
      .not.toBeNull();
    const before = await prisma.xmppAccount.count();
    const { page, context } = await newPage(browser, server.url);
    for (const [url, state] of [
      [newLink, "revoked"],
      [link, "unknown"],
      [`${server.url}/invite/short`, "malformed"],
      [`${server.url}/invite/${"x".repeat(43)}`, "unknown"],
    ] as const) {
      await page.goto(url);
      await expect(page.getByTestId("invite-problem").getAttribute("data-state")).resolves.toBe(
        state,
      );
    }
    await context.close();
    expect(await prisma.xmppAccount.count()).toBe(before);
  });

  it("privacy: a policy made in the console shows on the server page and on the public /privacy page", async () => {
    await admin.goto("/console/policies");
    await field(admin, "Name").fill("Family promise");
    await field(admin, "Keep one-to-one messages (days)").fill("30");
    await field(admin, "Keep group chat messages (days)").fill("14");
    await admin.getByRole("button", { name: "Create policy" }).click();
    await waitForPath(admin, "/console/policies", { created: "1" });
    const row = await prisma.server.findFirstOrThrow({ where: { name: "Family chat" } });
    await admin.goto(`/console/servers/${row.id}`);
    await field(admin, "Policy").selectOption({ label: "Family promise" });
    await admin.getByRole("button", { name: "Assign" }).click();
    await expect
      .poll(() => admin.getByTestId("server-policy").innerText())
      .toContain("Family promise");
    await admin.goto(`/console/servers/${row.id}/compliance`);
    await admin.getByTestId("empty-state").waitFor();

    const visitor = await newPage(browser, server.url);
    await visitor.page.goto("/privacy");
    await expect(visitor.page.getByTestId("privacy-plans").innerText()).resolves.toContain(
      "Family: messages are kept on the server for 30 days",
    );
    await expect(visitor.page.locator("main").innerText()).resolves.toContain("Family promise");
    await expect(visitor.page.getByTestId("privacy-processors").innerText()).resolves.toContain(
      "No email provider",
    );
    await visitor.context.close();
  });

  it("support finds an account by part of its address, sends a reset link, and the new password works on the server", async () => {
    const { hashPassword } = await import("@/lib/auth/password");
    const supportEmail = `${unique("sam")}@parley.test`.toLowerCase();
    await prisma.user.create({
      data: {
        email: supportEmail,
        name: "Sam Support",
        role: "SUPPORT",
        passwordHash: await hashPassword(TEST_PASSWORD),
      },
    });
    const { page: desk, context } = await newPage(browser, server.url);
    await signIn(desk, supportEmail, TEST_PASSWORD);
    await desk.goto("/console");
    await desk.getByLabel("Find an account, customer or room").fill("grac");
    await desk.getByLabel("Find an account, customer or room").press("Enter");
    await desk.getByTestId("search-accounts").getByRole("link", { name: firstAddress }).click();
    await waitForPath(desk, /^\/console\/accounts\/[^/]+$/);
    await expect(desk.getByTestId("server-state").innerText()).resolves.toContain("exists");
    const help = desk.locator("form", {
      has: desk.getByRole("button", { name: "Create reset link" }),
    });
    await field(help, "Why (required, audited)").fill("Grace forgot her password");
    await help.getByRole("button", { name: "Create reset link" }).click();
    const link = await desk.getByTestId("one-time-link").inputValue();
    expect(link).toMatch(/\/reset\/[A-Za-z0-9_-]{43}$/);
    await desk.getByTestId("qr-code").locator("svg").waitFor();
    await context.close();

    const user = await newPage(browser, server.url);
    await user.page.goto(link);
    await expect(user.page.getByTestId("reset-address").innerText()).resolves.toBe(firstAddress);
    await field(user.page, "New password").fill("grace's brand new password");
    await field(user.page, "Repeat new password").fill("grace's brand new password");
    await user.page.getByRole("button", { name: "Set new password" }).click();
    await user.page.getByTestId("form-success").waitFor();
    await user.page.goto(link);
    await expect(user.page.getByTestId("reset-problem").getAttribute("data-state")).resolves.toBe(
      "used",
    );
    await user.context.close();

    const localpart = firstAddress.split("@")[0];
    await expect
      .poll(
        async () =>
          (
            await tryLogin({
              host: "127.0.0.1",
              port: ej.c2sPort,
              domain: ej.vhost,
              username: localpart,
              password: "grace's brand new password",
            })
          ).ok,
        { timeout: 30_000 },
      )
      .toBe(true);
    expect(
      (
        await tryLogin({
          host: "127.0.0.1",
          port: ej.c2sPort,
          domain: ej.vhost,
          username: localpart,
          password: "a long and private password",
        })
      ).ok,
    ).toBe(false);
  }, 90_000);
});
