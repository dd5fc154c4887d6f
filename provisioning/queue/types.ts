import type { z } from "zod";
import type { DB } from "@/core/db";
import type { ClaimRead } from "./claim-reads";
import type { SuccessRow, SuccessWrite } from "./success-writes";

export type JobContext<P> = {
  jobId: string;
  attempt: number;
  payload: P;
  // The decrypted secret stored with the job, if any.
  secret: string | null;
  db: DB;
  // The row the definition's `read` names, read with the claim: null when there is none,
  // undefined when it was not read that way (the handler then reads it itself).
  row?: unknown;
  // Aborted when the lease is lost: stop and let the new owner finish.
  signal: AbortSignal;
  // Runs fn once per job: a retried job reuses the stored result and skips the work.
  step<T>(key: string, fn: () => Promise<T>): Promise<T>;
  progress(note: string): Promise<void>;
  // A write to make with the job's success, only if this attempt still holds the job
  // (success-writes.ts): the handler's last write, without a round trip of its own.
  onSuccess(write: SuccessWrite, row: SuccessRow): void;
};

export type JobDefinition<S extends z.ZodType = z.ZodType> = {
  type: string;
  schema: S;
  maxAttempts?: number;
  // The row the handler reads first, to read with the claim (claim-reads.ts).
  read?: ClaimRead;
  handle(ctx: JobContext<z.infer<S>>): Promise<unknown>;
};

export function defineJob<S extends z.ZodType>(definition: JobDefinition<S>): JobDefinition<S> {
  return definition;
}

// Thrown when a job can never succeed (bad input, permanent server refusal): no retry.
export class PermanentJobError extends Error {
  readonly permanent = true;
  constructor(message: string) {
    super(message);
    this.name = "PermanentJobError";
  }
}

export function isPermanent(error: unknown): boolean {
  return Boolean(
    error && typeof error === "object" && (error as { permanent?: boolean }).permanent,
  );
}
