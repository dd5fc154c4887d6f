import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openConsoleAsAdmin, type SignedInConsole } from "../helpers/e2e-console";

// The console frame on every page: the unread-notification badge and the banners for a server
// whose SSH host key changed or whose privacy policy drifted, each linking to where to act.
describe("console alerts in Chromium", () => {
  let app: SignedInConsole;

  beforeAll(async () => {
    app = await openConsoleAsAdmin("Alma Alerts");
  }, 300_000);

  afterAll(async () => {
    await app?.close();
  });

  it("shows nothing on a quiet install, then the badge and both banners on any page", async () => {
    const { admin, prisma } = app;
    await admin.goto("/console/customers");
    const notifications = admin.getByRole("link", { name: /^Notifications/ });
    await expect(notifications.innerText()).resolves.toBe("Notifications");
    await expect(admin.getByTestId("host-key-changed").count()).resolves.toBe(0);
    await expect(admin.getByTestId("compliance-drift").count()).resolves.toBe(0);

    const me = await prisma.user.findFirstOrThrow({ where: { name: "Alma Alerts" } });
    const base = { kind: "EJABBERD" as const, apiUrl: "http://127.0.0.1:1" };
    const moved = await prisma.server.create({
      data: { ...base, name: "moved-host", domain: "moved.test", sshHostKeyChangedAt: new Date() },
    });
    const drifted = await prisma.server.create({
      data: { ...base, name: "drifted-host", domain: "drifted.test", complianceStatus: "drifted" },
    });
    await prisma.notification.createMany({
      data: [1, 2, 3].map((n) => ({ userId: me.id, title: `Note ${n}`, body: "b" })),
    });

    await admin.goto("/console/accounts");
    await expect(notifications.innerText()).resolves.toMatch(/^Notifications\s*3$/);
    const keyBanner = admin.getByTestId("host-key-changed");
    await expect(keyBanner.innerText()).resolves.toContain("moved-host");
    await expect(
      keyBanner.getByRole("link", { name: "moved-host" }).getAttribute("href"),
    ).resolves.toBe(`/console/servers/${moved.id}`);
    const driftBanner = admin.getByTestId("compliance-drift");
    await expect(
      driftBanner.getByRole("link", { name: "drifted-host" }).getAttribute("href"),
    ).resolves.toBe(`/console/servers/${drifted.id}/compliance`);

    // Read notifications leave the badge; a disabled server's drift raises nothing.
    await prisma.notification.updateMany({
      where: { userId: me.id },
      data: { readAt: new Date() },
    });
    await prisma.server.update({ where: { id: drifted.id }, data: { enabled: false } });
    await admin.goto("/console/rooms");
    await expect(notifications.innerText()).resolves.toBe("Notifications");
    await expect(admin.getByTestId("compliance-drift").count()).resolves.toBe(0);
    await expect(admin.getByTestId("host-key-changed").count()).resolves.toBe(1);
  });
});
