import { expect } from "vitest";
import { prisma } from "@/core/db";
import { evaluateNowAction } from "@/app/(console)/console/servers/[id]/compliance/actions";
import { liveReport, type LiveObservation, type LiveReport } from "@/lib/evaluation/queries";
import { form } from "./fixtures";
import type { startTestWorker } from "./provisioning-world";

// "Check live now" as the signed-in admin, through the queue, then the report the compliance
// page shows.
export async function checkLive(
  serverId: string,
  worker: ReturnType<typeof startTestWorker>,
): Promise<LiveReport & { latest: LiveObservation }> {
  expect(await evaluateNowAction(undefined, form({ serverId }))).toMatchObject({ ok: true });
  worker.worker.nudge();
  await expect
    .poll(
      () =>
        prisma.job.count({
          where: { serverId, type: "server.evaluate", status: { in: ["PENDING", "RUNNING"] } },
        }),
      { timeout: 120_000, interval: 100 },
    )
    .toBe(0);
  const report = await liveReport(serverId);
  expect(report?.latest).toBeTruthy();
  return report as LiveReport & { latest: LiveObservation };
}

export function portOf(
  report: { latest: LiveObservation },
  service: "c2s" | "s2s",
  mode: "starttls" | "direct",
) {
  const found = report.latest.ports.find((p) => p.service === service && p.mode === mode);
  if (!found) throw new Error(`no ${service} ${mode} port in the report`);
  return found;
}

export function observed(report: { latest: LiveObservation }): Record<string, boolean> {
  return Object.fromEntries((report.latest.features.live ?? []).map((f) => [f.xep, f.observed]));
}
