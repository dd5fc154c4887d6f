// Applies retention now. ejabberd 23.01 cannot expire MAM by itself (no TTL option, no mod_cron):
// Parley calls delete_old_mam_messages_batch per host, polls delete_old_mam_messages_status, and
// calls delete_old_messages for offline storage. Granularity is whole days ("older than N days";
// days 0 = everything stored before now). delete_old_mam_messages_batch runs per host, one run
// per host at a time; delete_old_messages (offline storage) has no host and covers all vhosts.

import type { EjabberdApi } from "./http-api";

export type EjabberdPurgeOptions = {
  api: EjabberdApi;
  host: string;
  days: number;
  // "all" (chat and groupchat), "chat" or "groupchat". Default "all".
  type?: "all" | "chat" | "groupchat";
  batchSize?: number;
  // Messages per minute. Default 100000.
  rate?: number;
  // Also purge offline storage older than `days` (all vhosts: delete_old_messages has no host). Default true.
  offline?: boolean;
  pollMs?: number;
  timeoutMs?: number;
};

export type EjabberdPurgeResult = {
  mamStatus: string;
  deleted: number | null;
  offline: "purged" | "skipped";
};

export async function purgeArchives(options: EjabberdPurgeOptions): Promise<EjabberdPurgeResult> {
  const { api, host, days } = options;
  if (!Number.isInteger(days) || days < 0) throw new RangeError("days must be a whole number ≥ 0");
  await api.call("delete_old_mam_messages_batch", {
    host,
    type: options.type ?? "all",
    days,
    batch_size: options.batchSize ?? 1000,
    rate: options.rate ?? 100_000,
  });
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  let status = "";
  for (;;) {
    const reply = await api.call<{ status?: string } | string>("delete_old_mam_messages_status", {
      host,
    });
    status = typeof reply === "string" ? reply : String(reply?.status ?? "");
    if (!/in progress/i.test(status)) break;
    if (Date.now() > deadline) {
      await api.call("abort_delete_old_mam_messages", { host }).catch(() => undefined);
      throw new Error(`MAM purge on ${host} did not finish in time (last status: ${status})`);
    }
    await new Promise((r) => setTimeout(r, options.pollMs ?? 200));
  }
  if (!/completed/i.test(status))
    throw new Error(`MAM purge on ${host} did not complete: ${status}`);
  const deleted = /deleting (\d+) messages/.exec(status);
  let offline: EjabberdPurgeResult["offline"] = "skipped";
  if (options.offline ?? true) {
    const result = await api.call<unknown>("delete_old_messages", { days });
    if (result !== 0 && result !== "")
      throw new Error(`delete_old_messages answered ${JSON.stringify(result)}`);
    offline = "purged";
  }
  return { mamStatus: status, deleted: deleted ? Number(deleted[1]) : null, offline };
}
