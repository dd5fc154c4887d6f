import { startWorker } from "@/lib/jobs/worker";

// Entry point of `npm run worker`. Stops gracefully: jobs in hand finish, the rest wait in the database.
const stop = await startWorker();
let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log("[parley] worker stopping after the jobs in hand…");
    void stop().then(() => process.exit(0));
  });
}
