import pg from "pg";

// PostgreSQL notifies this channel when a job becomes PENDING (a trigger on "Job", see the
// job_notify migration), in the same transaction: a worker hears of a job once it is committed.
export const JOBS_CHANNEL = "parley_jobs";
// How the LISTEN connection shows in pg_stat_activity.
export const LISTEN_APPLICATION_NAME = "parley-worker-listen";

export type JobListener = {
  // True while LISTEN is in force; notifications sent while it is not are lost, so the
  // worker polls at its short interval then, and claims once at each reconnect.
  readonly listening: boolean;
  close(): Promise<void>;
};

export type ListenEvents = {
  notified(): void;
  // LISTEN is in force again (or for the first time), or was lost.
  changed(listening: boolean): void;
};

// One dedicated connection (not from the pool: a pooled one would be handed to queries and
// its LISTEN lost) that LISTENs and reconnects with backoff whenever it drops or fails.
export function listenForJobs(
  config: pg.ClientConfig,
  events: ListenEvents,
  retry = { firstMs: 100, maxMs: 5_000 },
): JobListener {
  let client: pg.Client | null = null;
  let listening = false;
  let closed = false;
  let delay = retry.firstMs;
  let timer: NodeJS.Timeout | undefined;

  const drop = (c: pg.Client) => {
    if (client !== c) return;
    client = null;
    c.end().catch(() => undefined);
    if (listening) {
      listening = false;
      events.changed(false);
    }
    if (closed) return;
    timer = setTimeout(connect, delay);
    delay = Math.min(delay * 2, retry.maxMs);
  };

  async function connect() {
    if (closed) return;
    const c = new pg.Client({
      ...config,
      application_name: LISTEN_APPLICATION_NAME,
      // A peer that vanished without closing (a dead host, a dropped route) is noticed too.
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    });
    client = c;
    c.on("notification", () => events.notified());
    c.on("error", () => drop(c));
    c.on("end", () => drop(c));
    try {
      await c.connect();
      await c.query(`LISTEN ${JOBS_CHANNEL}`);
    } catch {
      drop(c);
      return;
    }
    if (client !== c) return;
    delay = retry.firstMs;
    listening = true;
    events.changed(true);
  }

  void connect();
  return {
    get listening() {
      return listening;
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      const c = client;
      client = null;
      listening = false;
      await c?.end().catch(() => undefined);
    },
  };
}
