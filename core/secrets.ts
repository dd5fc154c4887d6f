import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { requireSecret } from "./config";

// AES-256-GCM for secrets at rest (server credentials, TOTP seeds, passwords in job payloads).
// Format: v1.<iv>.<tag>.<ciphertext>, base64url parts.

export function parseKey(base64: string): Buffer {
  const raw = Buffer.from(base64, "base64");
  if (raw.length !== 32) throw new Error("PARLEY_ENCRYPTION_KEY must be 32 bytes, base64-encoded");
  return raw;
}

let cached: { text: string; key: Buffer } | undefined;

// The configured key (environment or data/secrets.json), for the console and the worker alike.
export function encryptionKey(): Buffer {
  const text = requireSecret("encryptionKey");
  if (cached?.text !== text) cached = { text, key: parseKey(text) };
  return cached.key;
}

export function seal(plain: string, key: Buffer = encryptionKey()): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  const parts = [iv, cipher.getAuthTag(), data].map((b) => b.toString("base64url"));
  return ["v1", ...parts].join(".");
}

export function open(sealed: string, key: Buffer = encryptionKey()): string {
  const [version, iv, tag, data] = sealed.split(".");
  if (version !== "v1" || !iv || !tag || !data) throw new Error("Unrecognised encrypted value");
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  const plain = Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]);
  return plain.toString("utf8");
}
