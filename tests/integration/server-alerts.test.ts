import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/core/db";
import { listServerAlerts } from "@/lib/servers/queries";

// The console's banner read: one query for both kinds of alert, each shown only to staff who
// may see it; a disabled server's drift raises nothing.

const names = (rows: { name: string }[]) =>
  rows
    .map((r) => r.name)
    .filter((n) => n.startsWith("alert-"))
    .sort();

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
});

describe("server alerts", () => {
  it("lists changed host keys and drifted enabled servers apart", async () => {
    const alerts = await listServerAlerts({ changedKeys: true, drifted: true });
    expect(names(alerts.changedKeys)).toEqual(["alert-both", "alert-key"]);
    expect(names(alerts.drifted)).toEqual(["alert-both", "alert-drift"]);
  });

  it("gives each viewer only the alerts they may see", async () => {
    const keysOnly = await listServerAlerts({ changedKeys: true, drifted: false });
    expect(names(keysOnly.changedKeys)).toEqual(["alert-both", "alert-key"]);
    expect(keysOnly.drifted).toEqual([]);
    const driftOnly = await listServerAlerts({ changedKeys: false, drifted: true });
    expect(driftOnly.changedKeys).toEqual([]);
    expect(names(driftOnly.drifted)).toEqual(["alert-both", "alert-drift"]);
    expect(await listServerAlerts({ changedKeys: false, drifted: false })).toEqual({
      changedKeys: [],
      drifted: [],
    });
  });
});
