import { parseKey } from "@/provisioning/secrets";
import { getConfig } from "@/lib/config";

export { nudgeWorker } from "@/provisioning/queue/nudge";

export function encryptionKey(): Buffer {
  return parseKey(getConfig().encryptionKey);
}
