import type { z } from "zod";
import { enqueueJob, enqueueJobs, type EnqueueOptions, type JobWriter } from "./enqueue";
import type { ClaimRead } from "./claim-reads";
import type { JobContext, JobDefinition } from "./types";

export type JobSchemas = Record<string, z.ZodType<Record<string, unknown>>>;

export type JobHandler<S extends z.ZodType> = {
  maxAttempts?: number;
  read?: ClaimRead;
  handle(ctx: JobContext<z.infer<S>>): Promise<unknown>;
};

// Handlers for some (K) or all of a registry's job types, each typed by its payload schema.
export type JobHandlers<S extends JobSchemas, K extends keyof S = keyof S> = {
  [T in K]: JobHandler<S[T]>;
};

// A typed queue over a set of job types: enqueue checks the payload against the type at compile
// time and against its schema at run time, so a malformed job never reaches the database.
export function jobRegistry<S extends JobSchemas>(schemas: S) {
  function enqueue<T extends keyof S & string>(
    db: JobWriter,
    type: T,
    payload: z.input<S[T]>,
    options: EnqueueOptions = {},
  ) {
    return enqueueJob(db, { ...options, type, payload: schemas[type].parse(payload) });
  }

  // Many jobs of one type in a few statements; returns how many were created.
  async function enqueueMany<T extends keyof S & string>(
    db: JobWriter,
    type: T,
    jobs: { payload: z.input<S[T]>; options?: EnqueueOptions }[],
  ) {
    return enqueueJobs(
      db,
      jobs.map((j) => ({ ...j.options, type, payload: schemas[type].parse(j.payload) })),
    );
  }

  function definitions(handlers: JobHandlers<S>): JobDefinition[] {
    return Object.entries(handlers).map(([type, handler]) => ({
      type,
      schema: schemas[type],
      ...(handler as JobHandler<z.ZodType>),
    }));
  }

  return { schemas, enqueue, enqueueMany, definitions };
}
