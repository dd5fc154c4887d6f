import type { DB } from "@/core/db";
import type { XmppAdapter } from "./adapter";
import { SERVER_RECORD_SELECT } from "./kind";
import type { KindRecord } from "./registry";
import { createAdapter } from "./registry";

type Entry = { version: string; adapter: XmppAdapter; checkedAt: number };

// One adapter per server, reused across jobs (an SSH connection or HTTP keep-alive lives in it).
// Any change to the columns it is built from (SERVER_RECORD_SELECT), made by any process,
// replaces it; the status columns jobs write (check times, compliance state) do not.
// The row is re-read at most every `recheckMs`, and at once after `recheck` (the worker calls it
// when a job on the server failed, so the retry uses the row as it is by then).
// A replaced adapter is closed only after `retireMs`: jobs still holding it finish first.
export class AdapterPool {
  private readonly cache = new Map<string, Entry>();
  private readonly loading = new Map<string, Promise<XmppAdapter>>();
  private readonly retiring = new Set<XmppAdapter>();

  constructor(
    private readonly db: DB,
    private readonly key: Buffer,
    private readonly recheckMs = 3_000,
    private readonly retireMs = 120_000,
  ) {}

  async adapterFor(serverId: string): Promise<XmppAdapter> {
    const fresh = this.cache.get(serverId);
    if (fresh && Date.now() - fresh.checkedAt < this.recheckMs) return fresh.adapter;
    // Jobs asking at the same moment share one read (and never build two adapters).
    let load = this.loading.get(serverId);
    if (!load) {
      load = this.load(serverId).finally(() => this.loading.delete(serverId));
      this.loading.set(serverId, load);
    }
    return load;
  }

  // The next adapterFor re-reads the server's row.
  recheck(serverId: string): void {
    const entry = this.cache.get(serverId);
    if (entry) entry.checkedAt = 0;
  }

  private async load(serverId: string): Promise<XmppAdapter> {
    const server = await this.db.server.findUnique({
      where: { id: serverId },
      select: { ...SERVER_RECORD_SELECT, name: true, enabled: true },
    });
    if (!server) {
      this.retire(serverId);
      throw Object.assign(new Error("The server of this job was removed."), { permanent: true });
    }
    if (!server.enabled) {
      this.retire(serverId);
      throw new Error(`Server ${server.name} is disabled; the job waits until it is enabled.`);
    }
    const { name: _name, enabled: _enabled, ...record } = server;
    const version = JSON.stringify(record);
    const cached = this.cache.get(serverId);
    if (cached?.version === version) {
      cached.checkedAt = Date.now();
      return cached.adapter;
    }
    this.retire(serverId);
    const adapter = createAdapter(record satisfies KindRecord, this.key);
    this.cache.set(serverId, { version, adapter, checkedAt: Date.now() });
    return adapter;
  }

  private retire(serverId: string): void {
    const entry = this.cache.get(serverId);
    if (!entry) return;
    this.cache.delete(serverId);
    const { adapter } = entry;
    this.retiring.add(adapter);
    setTimeout(() => {
      if (this.retiring.delete(adapter)) void adapter.close().catch(() => undefined);
    }, this.retireMs).unref();
  }

  async close(): Promise<void> {
    const all = [...this.cache.values()].map((c) => c.adapter).concat([...this.retiring]);
    this.cache.clear();
    this.retiring.clear();
    await Promise.all(all.map((a) => a.close().catch(() => undefined)));
  }
}
