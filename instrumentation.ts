// Runs once when the server starts (Node runtime, not during the build).
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") return;
  const { announceFirstRun } = await import("./lib/first-run");
  await announceFirstRun();
}
