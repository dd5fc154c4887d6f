import type { DB } from "@/core/db";
import type { XmppAdapter } from "./adapter";
import { createAdapter } from "./registry";

// One adapter per server, reused across jobs (an SSH connection or HTTP keep-alive lives in it).
// The server row is re-read at most every few seconds; a changed row (new token, new pinned
// key, disabled) replaces the cached adapter.
export class AdapterPool {
  private readonly cache = new Map<
    string,
    { version: string; adapter: XmppAdapter; checkedAt: number }
  >();

  constructor(
    private readonly db: DB,
    private readonly key: Buffer,
    private readonly recheckMs = 3_000,
  ) {}

  async adapterFor(serverId: string): Promise<XmppAdapter> {
    const fresh = this.cache.get(serverId);
    if (fresh && Date.now() - fresh.checkedAt < this.recheckMs) return fresh.adapter;
    const server = await this.db.server.findUnique({ where: { id: serverId } });
    if (!server)
      throw Object.assign(new Error("The server of this job was removed."), { permanent: true });
    if (!server.enabled) {
      this.cache.delete(serverId);
      throw new Error(`Server ${server.name} is disabled; the job waits until it is enabled.`);
    }
    const version = server.updatedAt.toISOString();
    const cached = this.cache.get(serverId);
    if (cached?.version === version) {
      cached.checkedAt = Date.now();
      return cached.adapter;
    }
    if (cached) await cached.adapter.close().catch(() => undefined);
    const adapter = createAdapter(server, this.key);
    this.cache.set(serverId, { version, adapter, checkedAt: Date.now() });
    return adapter;
  }

  async close(): Promise<void> {
    await Promise.all(
      [...this.cache.values()].map((c) => c.adapter.close().catch(() => undefined)),
    );
    this.cache.clear();
  }
}
