// Runs once when the server starts (Node runtime, not during the build).
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") return;
  const { announceFirstRun } = await import("./lib/first-run");
  await announceFirstRun();
  // The provisioning worker runs inside the console unless it runs as its own process.
  if (process.env.PARLEY_WORKER !== "off") {
    const { startWorker } = await import("./provisioning/start-worker");
    const holder = globalThis as unknown as { parleyWorkerStarted?: boolean };
    if (!holder.parleyWorkerStarted) {
      holder.parleyWorkerStarted = true;
      await startWorker().catch((error: Error) => console.error(`[parley] provisioning worker did not start: ${error.message}`));
    }
  }
}
