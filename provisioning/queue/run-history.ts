import type { DB } from "@/core/db";
import { logError } from "@/core/log";

export type RunRecord = {
  jobId: string;
  attempt: number;
  workerId: string;
  startedAt: Date;
  endedAt: Date;
  outcome: string;
  error: string | null;
};

// Run history is written in batches (one insert for up to 256 attempts, at least every second):
// it is a record, not state the queue depends on, so a crash may lose the last second of rows
// and nothing else.
export class RunHistory {
  private runs: RunRecord[] = [];
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly db: DB,
    private readonly label: string,
  ) {}

  record(run: RunRecord): void {
    this.runs.push(run);
    if (this.runs.length >= 256) void this.flush();
    else
      this.flushing ??= new Promise<void>((resolve) => setTimeout(resolve, 1_000)).then(() => {
        this.flushing = null;
        return this.flush();
      });
  }

  async flush(): Promise<void> {
    const batch = this.runs.splice(0);
    if (batch.length === 0) return;
    try {
      await this.db.jobRun.createMany({ data: batch });
    } catch (error) {
      logError(
        this.label,
        `could not record ${batch.length} job runs: ${(error as Error).message}`,
      );
    }
  }
}
