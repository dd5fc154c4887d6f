import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/core/db";
import { readConsoleAlerts } from "@/lib/notifications/console-alerts";
import { createUser } from "../helpers/fixtures";

// The console frame's read (one statement on every page): unread notifications, and both
// kinds of server alert, each shown only to staff who may see it; a disabled server's drift
// raises nothing.

const names = (rows: { name: string }[]) =>
  rows.map((r) => r.name).filter((n) => n.startsWith("alert-"));

let userId: string;

beforeAll(async () => {
  const base = { kind: "EJABBERD" as const, apiUrl: "http://127.0.0.1:1" };
  await prisma.server.createMany({
    data: [
      { ...base, name: "alert-key", domain: "key.test", sshHostKeyChangedAt: new Date() },
      { ...base, name: "alert-drift", domain: "drift.test", complianceStatus: "drifted" },
      {
        ...base,
        name: "alert-both",
        domain: "both.test",
        complianceStatus: "drifted",
        sshHostKeyChangedAt: new Date(),
      },
      {
        ...base,
        name: "alert-off",
        domain: "off.test",
        complianceStatus: "drifted",
        enabled: false,
      },
      { ...base, name: "alert-fine", domain: "fine.test", complianceStatus: "compliant" },
    ],
  });
  userId = (await createUser("ADMIN")).id;
  const other = await createUser("ADMIN");
  const note = { title: "t", body: "b" };
  await prisma.notification.createMany({
    data: [
      { ...note, userId },
      { ...note, userId },
      { ...note, userId, readAt: new Date() },
      { ...note, userId: other.id },
    ],
  });
});

const everything = { changedKeys: true, drifted: true };

describe("console alerts", () => {
  it("lists changed host keys and drifted enabled servers apart, by name", async () => {
    const alerts = await readConsoleAlerts(userId, everything);
    expect(names(alerts.changedKeys)).toEqual(["alert-both", "alert-key"]);
    expect(names(alerts.drifted)).toEqual(["alert-both", "alert-drift"]);
    const server = await prisma.server.findFirstOrThrow({ where: { name: "alert-key" } });
    expect(alerts.changedKeys.find((s) => s.name === "alert-key")).toEqual({
      id: server.id,
      name: "alert-key",
    });
  });

  it("counts the caller's unread notifications only", async () => {
    expect((await readConsoleAlerts(userId, everything)).unread).toBe(2);
    const nobody = await createUser("SUPPORT");
    expect((await readConsoleAlerts(nobody.id, everything)).unread).toBe(0);
  });

  it("gives each viewer only the alerts they may see", async () => {
    const keysOnly = await readConsoleAlerts(userId, { changedKeys: true, drifted: false });
    expect(names(keysOnly.changedKeys)).toEqual(["alert-both", "alert-key"]);
    expect(keysOnly.drifted).toEqual([]);
    const driftOnly = await readConsoleAlerts(userId, { changedKeys: false, drifted: true });
    expect(driftOnly.changedKeys).toEqual([]);
    expect(names(driftOnly.drifted)).toEqual(["alert-both", "alert-drift"]);
    expect(await readConsoleAlerts(userId, { changedKeys: false, drifted: false })).toEqual({
      unread: 2,
      changedKeys: [],
      drifted: [],
    });
  });
});
