// Prosody expires archives itself: mod_cron runs the daily tasks mam/remove_expired_messages (each
// vhost) and muc_mam/remove_expired_messages (the MUC host); its first check is about 1 s after
// start, then it checks daily tasks hourly. "Purge now" runs the same tasks on demand through the
// admin shell (the server logs e.g. "Deleted 4 expired messages for 2 users").

import { luaString } from "./lua";
import type { ShellLike } from "./shell";

// Runs the expiry tasks of module `module` (mam or muc_mam) on `host` now; answers "ran N task(s)".
export function prosodyExpiryLua(host: string, module: "mam" | "muc_mam"): string {
  return (
    `>local h = prosody.hosts[${luaString(host)}]; if not h then return nil, "No such host" end; ` +
    `local mod = h.modules[${luaString(module)}]; if not mod then return true, "ran 0 tasks (not loaded)" end; local n = 0; ` +
    `for _, task in ipairs(mod.module:get_host_items("task")) do if task.id and task.id:match(${luaString(`^${module}/`)}) then n = n + 1; ` +
    `require "util.async".runner(function (t) t:run(os.time()) end):run(task) end end; return true, "ran " .. n .. " task(s)"`
  );
}

export type ProsodyPurgeResult = { vhost: string; muc: string | null };

export async function purgeProsodyArchives(options: {
  shell: ShellLike;
  host: string;
  mucHost?: string | null;
}): Promise<ProsodyPurgeResult> {
  const vhost = (await options.shell.run(prosodyExpiryLua(options.host, "mam"))).value;
  const muc = options.mucHost
    ? (await options.shell.run(prosodyExpiryLua(options.mucHost, "muc_mam"))).value
    : null;
  return { vhost, muc };
}
