import "server-only";
import { getConfig } from "@/lib/config";
import { open, parseKey, seal } from "@/provisioning/secrets";

// Console-side sealing with the configured key; the format lives in provisioning/secrets.ts.
export function encryptSecret(plain: string): string {
  return seal(plain, parseKey(getConfig().encryptionKey));
}

export function decryptSecret(sealed: string): string {
  return open(sealed, parseKey(getConfig().encryptionKey));
}
