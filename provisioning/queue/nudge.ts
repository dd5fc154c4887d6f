// The worker running in this process (if any) registers a nudge so new jobs start at once.
const holder = globalThis as unknown as { parleyWorkerNudge?: () => void };

export function setWorkerNudge(nudge: (() => void) | undefined): void {
  holder.parleyWorkerNudge = nudge;
}

export function nudgeWorker(): void {
  holder.parleyWorkerNudge?.();
}
