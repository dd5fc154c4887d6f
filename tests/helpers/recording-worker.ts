import { prisma } from "@/core/db";
import type { defineJob } from "@/provisioning/queue/types";
import { Worker, type WorkerEvent } from "@/provisioning/queue/worker";

// A worker on the test database that keeps its events; one slot and a 20 ms poll unless
// `extra` says otherwise.
export function recordingWorker(
  jobs: Parameters<typeof defineJob>[0][],
  extra: Partial<ConstructorParameters<typeof Worker>[0]> = {},
) {
  const events: WorkerEvent[] = [];
  const worker = new Worker({
    db: prisma,
    jobs,
    concurrency: 1,
    pollMs: 20,
    onEvent: (e) => events.push(e),
    ...extra,
  });
  return { worker, events };
}
