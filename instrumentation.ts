// Runs once when the server starts (Node runtime, not during the build). NEXT_RUNTIME and
// NEXT_PHASE are Next's own variables; Parley's settings come from core/config.ts.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  const { getConfig } = await import("./core/config");
  const { announceFirstRun } = await import("./lib/first-run");
  await announceFirstRun();
  // The provisioning worker runs inside the console unless it runs as its own process.
  if (!getConfig().worker.inConsole) return;
  const holder = globalThis as unknown as { parleyWorkerStarted?: boolean };
  if (holder.parleyWorkerStarted) return;
  holder.parleyWorkerStarted = true;
  const { startWorker } = await import("./lib/jobs/worker");
  await startWorker().catch((error: Error) =>
    console.error(`[parley] provisioning worker did not start: ${error.message}`),
  );
}
