import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";

// AES-256-GCM for secrets at rest (server credentials, TOTP seeds, passwords in job payloads).
// Format: v1.<iv>.<tag>.<ciphertext>, base64url parts.

export function parseKey(base64: string): Buffer {
  const raw = Buffer.from(base64, "base64");
  if (raw.length !== 32) throw new Error("PARLEY_ENCRYPTION_KEY must be 32 bytes, base64-encoded");
  return raw;
}

// The worker may run as its own process: it reads the key the way the console does.
export function loadEncryptionKey(): Buffer {
  if (process.env.PARLEY_ENCRYPTION_KEY) return parseKey(process.env.PARLEY_ENCRYPTION_KEY);
  const file = process.env.PARLEY_SECRETS_FILE ?? path.join(process.cwd(), "data", "secrets.json");
  const parsed = JSON.parse(readFileSync(/*turbopackIgnore: true*/ file, "utf8")) as { encryptionKey?: string };
  if (!parsed.encryptionKey) throw new Error(`${file} has no encryptionKey; run npm start once to generate it`);
  return parseKey(parsed.encryptionKey);
}

export function seal(plain: string, key: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), data.toString("base64url")].join(".");
}

export function open(sealed: string, key: Buffer): string {
  const [version, iv, tag, data] = sealed.split(".");
  if (version !== "v1" || !iv || !tag || !data) throw new Error("Unrecognised encrypted value");
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
}
