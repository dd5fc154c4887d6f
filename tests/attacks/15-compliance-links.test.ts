import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { resetClock, setClock } from "@/core/clock";
import { prisma } from "@/core/db";
import { sharedReport } from "@/lib/compliance/queries";
import { revokeShareLink, shareReport } from "@/lib/compliance/reports";
import { createWorld, type World } from "../helpers/fixtures";

// 15.2: a report link handed to a customer must stop working when withdrawn or when it
// expires. The attack: keep using a link after either; the real function behind
// /compliance/<token> must refuse it, saying why.
let w: World;
let checkId = "";
const tokenOf = (link: string) => link.split("/").pop()!;

beforeAll(async () => {
  w = await createWorld();
  const check = await prisma.complianceCheck.create({
    data: {
      serverId: w.serverId,
      startedAt: new Date(),
      finishedAt: new Date(),
      status: "passed",
      checks: { checks: [], features: [] },
    },
  });
  checkId = check.id;
});
afterEach(() => {
  resetClock();
});

describe("11.15.2 shared compliance links expire and can be revoked", () => {
  it("a revoked link no longer opens the report, at once", async () => {
    const { link } = await shareReport({ checkId, days: 30 }, w.admin);
    const token = tokenOf(link);
    expect((await sharedReport(token)).state).toBe("ok");
    const row = await prisma.complianceShareLink.findFirstOrThrow({
      where: { checkId },
      orderBy: { createdAt: "desc" },
    });
    await revokeShareLink({ linkId: row.id }, w.admin);
    expect(await sharedReport(token)).toEqual({ state: "revoked" });
    // Many readers at once after the revocation: none gets the report.
    const reads = await Promise.all(Array.from({ length: 20 }, () => sharedReport(token)));
    expect(reads.filter((r) => r.state === "ok")).toHaveLength(0);
    expect(
      await prisma.auditEvent.count({
        where: { action: "compliance.report_link_revoked", targetId: w.serverId },
      }),
    ).toBe(1);
  });

  it("an expired link no longer opens the report", async () => {
    const { link, expiresAt } = await shareReport({ checkId, days: 1 }, w.admin);
    const token = tokenOf(link);
    expect((await sharedReport(token)).state).toBe("ok");
    setClock(() => new Date(expiresAt.getTime() + 1000));
    expect(await sharedReport(token)).toEqual({ state: "expired" });
  });

  it("a link gets 30 days unless chosen, never more than a year", async () => {
    const before = Date.now();
    const { expiresAt } = await shareReport(
      { checkId } as { checkId: string; days: number },
      w.admin,
    );
    expect(Math.round((expiresAt.getTime() - before) / 86_400_000)).toBe(30);
    await expect(shareReport({ checkId, days: 366 }, w.admin)).rejects.toThrow(/at most 365/);
  });

  it("an unknown token is refused", async () => {
    expect(await sharedReport("A".repeat(43))).toEqual({ state: "unknown" });
  });
});
